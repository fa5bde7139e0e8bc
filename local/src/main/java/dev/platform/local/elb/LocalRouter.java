package dev.platform.local.elb;

import dev.platform.core.deploy.ResourceTags;
import dev.platform.local.ecs.LocalEcs;
import dev.platform.local.http.QueryForm;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the load balancers do with a request, locally: its Host (port stripped, lower-cased) picks a listener
 * rule's target group, whose ECS service answers — locally with a page naming the project, pull request,
 * commit and deployment its task definition is tagged with, since no container runs. A host under the
 * preview domain that no rule names is a 404, as the listeners' default rule gives; any other host is not
 * the load balancers' (the runtime's own endpoints answer it).
 */
public final class LocalRouter {
    /** An answer of a routed request. @param deployment the {@code X-Platform-Deployment} header, or null */
    public record Answer(int status, String deployment, byte[] body) {
        public static final String CONTENT_TYPE = "text/html; charset=utf-8";
    }

    private final LocalElb elb;
    private final LocalEcs ecs;
    private final String previewDomain;
    private volatile Consumer<Map<String, String>> served = tags -> { };

    public LocalRouter(LocalElb elb, LocalEcs ecs, String previewDomain) {
        this.elb = elb;
        this.ecs = ecs;
        this.previewDomain = previewDomain.toLowerCase(Locale.ROOT);
    }

    /** Sees the tags of the task definition that served each request (inbound traffic, say). */
    public void onServed(Consumer<Map<String, String>> listener) {
        this.served = listener;
    }

    /** The answer for a request with this Host header, or empty when the request is not for the load balancers. */
    public Optional<Answer> route(String hostHeader) {
        if (hostHeader == null) {
            return Optional.empty();
        }
        String hostName = hostName(hostHeader);
        Optional<String> target = elb.forwardTarget(hostName);
        if (target.isEmpty()) {
            boolean preview = hostName.equals(previewDomain) || hostName.endsWith("." + previewDomain);
            return preview ? Optional.of(page(404, null, "Not found", "Nothing is deployed at " + escape(hostName) + "."))
                    : Optional.empty();
        }
        Optional<LocalEcs.Serving> serving = ecs.serving(target.get());
        if (serving.isEmpty() || serving.get().runningCount() == 0) {
            return Optional.of(page(503, null, "Service unavailable", "This deployment is not running right now."));
        }
        Map<String, String> tags = serving.get().tags();
        served.accept(tags);
        String deployment = tags.getOrDefault(ResourceTags.DEPLOYMENT, "");
        String pr = tags.get(ResourceTags.PR);
        return Optional.of(page(200, deployment, escape(tags.getOrDefault(ResourceTags.PROJECT, "")),
                "<dl><dt>Project</dt><dd>" + escape(tags.getOrDefault(ResourceTags.PROJECT, "")) + "</dd>"
                        + "<dt>Pull request</dt><dd>" + (pr == null ? "none (production)" : "#" + escape(pr)) + "</dd>"
                        + "<dt>Commit</dt><dd>" + escape(tags.getOrDefault(ResourceTags.COMMIT, "")) + "</dd>"
                        + "<dt>Deployment</dt><dd>" + escape(deployment) + "</dd></dl>"));
    }

    /** The Host header's name: lower-cased, without its port (an IPv6 literal keeps its brackets). */
    static String hostName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static Answer page(int status, String deployment, String title, String body) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1>" + (body.startsWith("<") ? body : "<p>" + body + "</p>") + "</body></html>\n";
        return new Answer(status, deployment, html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return QueryForm.escape(text);
    }
}
