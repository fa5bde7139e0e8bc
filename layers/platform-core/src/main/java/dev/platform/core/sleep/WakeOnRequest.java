package dev.platform.core.sleep;

import dev.platform.core.deploy.Environment;
import dev.platform.core.deploy.EnvironmentRef;
import dev.platform.core.deploy.EnvironmentStatus;
import dev.platform.core.deploy.EnvironmentStore;
import java.util.Locale;
import java.util.Optional;

/**
 * A request that reached the waker (the Lambda target a sleeping preview's rule forwards to): the preview
 * at its host starts, once however many requests arrive ({@link WakePreview}), and the caller is told to
 * come back in a moment. A host no preview was ever created at, or whose preview is removed, is not found.
 * The answer names nothing internal: the page is the same for every preview.
 */
public final class WakeOnRequest {
    /** How soon a caller should ask again: a woken service is healthy in about half a minute on Fargate. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** @param found false: 404 */
    public record Answer(boolean found, int retryAfterSeconds, String log) {
    }

    private final PreviewIndex index;
    private final EnvironmentStore environments;
    private final WakePreview waker;

    public WakeOnRequest(PreviewIndex index, EnvironmentStore environments, WakePreview waker) {
        this.index = index;
        this.environments = environments;
        this.waker = waker;
    }

    /** @param hostHeader the request's {@code Host} header */
    public Answer handle(String hostHeader) {
        String host = hostName(hostHeader);
        if (host.isEmpty()) {
            return new Answer(false, 0, "no Host header");
        }
        Optional<EnvironmentRef> ref = index.atHost(host);
        Environment environment = ref.flatMap(environments::read).map(s -> s.state()).orElse(null);
        if (environment == null || environment.retired() || !host.equals(environment.host())) {
            return new Answer(false, 0, "no preview at " + host);
        }
        if (environment.status() == EnvironmentStatus.SLEEPING) {
            WakePreview.Outcome outcome = waker.wake(environment.ref(), "request");
            return new Answer(true, RETRY_AFTER_SECONDS, environment.ref().serviceName() + ": " + outcome.result());
        }
        // waking, or awake with its rule being pointed back at it: the next attempt reaches the app
        return new Answer(true, RETRY_AFTER_SECONDS, environment.ref().serviceName() + ": " + environment.status().wireName());
    }

    /** The Host header's name: lower-cased, without a port or a trailing dot. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
