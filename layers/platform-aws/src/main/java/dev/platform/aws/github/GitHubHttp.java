package dev.platform.aws.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.github.app.GitHubException;
import dev.platform.core.github.app.GitHubException.Kind;
import dev.platform.core.json.Json;
import dev.platform.core.json.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * GitHub's REST API over the JDK's HTTP client: GitHub's headers, the redirects followed by hand,
 * retries with backoff, and GitHub's answers as {@link GitHubException}s. Messages name the call
 * ({@code GET /repos/o/r/...}, no query) and the status; never a header, a token or a body beyond
 * GitHub's own short error {@code message}.
 */
final class GitHubHttp {
    static final String USER_AGENT = "platform-github-app";
    static final String API_VERSION = "2022-11-28";
    private static final String ACCEPT = "application/vnd.github+json";
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_MESSAGE_CHARS = 200;

    /**
     * One API call.
     *
     * @param path below the base URL, starting with {@code /}; what messages name
     * @param query appended as is, never named in a message (null: none)
     * @param body JSON to send (null: none)
     * @param authorization the {@code Authorization} header, asked once per attempt (so a retry after
     *     a token expired gets a new one)
     */
    record Call(String method, String path, String query, JsonNode body, Supplier<String> authorization) {
        String name() {
            return method + " " + path;
        }
    }

    /** A 2xx answer of an API call. */
    record Answer(Call call, int status, HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                JsonNode json = Json.MAPPER.readTree(body);
                if (json == null || json.isMissingNode()) {
                    throw notAsDocumented(call, status, "an empty answer");
                }
                return json;
            } catch (IOException e) {
                throw notAsDocumented(call, status, "an answer that is not JSON");
            }
        }
    }

    /** What came back from one attempt: bytes, or the stream of a 2xx body when asked to stream. */
    private record Exchange(int status, HttpHeaders headers, byte[] body, InputStream stream, String redirectedToHost) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String base;
    private final URI baseUri;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Duration streamIdle;
    private final List<Duration> retryDelays;

    GitHubHttp(URI base, HttpClient client, Duration requestTimeout, Duration streamIdle, List<Duration> retryDelays) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.base = text;
        this.baseUri = URI.create(text);
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.streamIdle = streamIdle;
        this.retryDelays = List.copyOf(retryDelays);
    }

    /** The call's 2xx answer; any other status, after the retries, is a {@link GitHubException}. */
    Answer send(Call call) {
        Exchange exchange = exchange(call, false);
        if (!exchange.ok()) {
            throw refusal(call, exchange, 1);
        }
        return new Answer(call, exchange.status(), exchange.headers(), exchange.body());
    }

    /** Streams a 2xx body to {@code reader}, following redirects (codeload) without credentials. */
    <T> T stream(Call call, CommitArchives.ArchiveReader<T> reader) throws IOException {
        Exchange exchange = exchange(call, true);
        if (!exchange.ok()) {
            throw refusal(call, exchange, 1);
        }
        try (InputStream body = exchange.stream()) {
            return reader.read(body);
        }
    }

    /** Attempts until an answer that is final: 2xx, or a status retrying cannot change. */
    private Exchange exchange(Call call, boolean streaming) {
        int attempts = retryDelays.size() + 1;
        for (int attempt = 1; ; attempt++) {
            Exchange exchange = null;
            IOException failure = null;
            try {
                exchange = attempt(call, streaming);
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GitHubException(Kind.UNAVAILABLE, 0, "GitHub " + call.name() + ": interrupted");
            }
            if (exchange != null && (exchange.ok() || !retryable(exchange.status(), exchange.headers()))) {
                return exchange;
            }
            if (attempt == attempts) {
                if (exchange != null) {
                    throw refusal(call, exchange, attempts);
                }
                throw new GitHubException(Kind.UNAVAILABLE, 0, "GitHub " + call.name() + ": no answer after " + attempts
                        + " attempts (" + failure.getClass().getSimpleName() + ")", failure);
            }
            Duration delay = retryDelays.get(attempt - 1);
            JsonLog.warn("GitHub call retried", Map.of(
                    "call", call.name(),
                    "attempt", attempt,
                    "status", exchange == null ? 0 : exchange.status(),
                    "error", exchange == null ? failure.getClass().getSimpleName() : statusReason(exchange),
                    "retryInMillis", delay.toMillis()));
            sleep(call, delay);
        }
    }

    /** One attempt, redirects included: credentials go only to URLs below the base URL. */
    private Exchange attempt(Call call, boolean streaming) throws IOException, InterruptedException {
        String authorization = call.authorization() == null ? null : call.authorization().get();
        URI uri = URI.create(base + call.path() + (call.query() == null ? "" : "?" + call.query()));
        String method = call.method();
        byte[] body = call.body() == null ? null : Json.write(call.body()).getBytes(StandardCharsets.UTF_8);
        String redirectedToHost = null;
        for (int hop = 0; ; hop++) {
            boolean api = belowBase(uri);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", USER_AGENT);
            if (api) {
                request.header("Accept", ACCEPT).header("X-GitHub-Api-Version", API_VERSION);
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
            }
            if (body != null) {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<Object> response = send(request.build(), streaming ? call.name() : null);
            int status = response.statusCode();
            var location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent() && hop < MAX_REDIRECTS) {
                try {
                    uri = uri.resolve(location.get());
                } catch (IllegalArgumentException e) {
                    return exchange(response, redirectedToHost);
                }
                if (status == 303) {
                    method = "GET";
                    body = null;
                }
                // Only the host is ever named: a codeload URL carries a signed token in its query.
                redirectedToHost = belowBase(uri) ? null : uri.getHost();
                continue;
            }
            return exchange(response, redirectedToHost);
        }
    }

    private static Exchange exchange(HttpResponse<Object> response, String redirectedToHost) {
        Object body = response.body();
        return new Exchange(response.statusCode(), response.headers(),
                body instanceof byte[] bytes ? bytes : new byte[0],
                body instanceof InputStream stream ? stream : null,
                redirectedToHost);
    }

    /**
     * Sends with a deadline of {@code requestTimeout} for the headers and any non-streamed body (the
     * JDK's own timeout ends at the headers). A 2xx body is streamed when {@code streamingCall} is set.
     */
    private HttpResponse<Object> send(HttpRequest request, String streamingCall) throws IOException, InterruptedException {
        HttpResponse.BodyHandler<Object> handler = info -> {
            if (streamingCall != null && info.statusCode() >= 200 && info.statusCode() < 300) {
                return HttpResponse.BodySubscribers.mapping(new StreamingBody(streamIdle, streamingCall), stream -> stream);
            }
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> bytes);
        };
        CompletableFuture<HttpResponse<Object>> future = client.sendAsync(request, handler);
        try {
            return future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(Objects.toString(cause), cause);
        }
    }

    private boolean belowBase(URI uri) {
        if (!Objects.equals(lower(uri.getScheme()), lower(baseUri.getScheme()))
                || !Objects.equals(lower(uri.getHost()), lower(baseUri.getHost()))
                || port(uri) != port(baseUri)) {
            return false;
        }
        String basePath = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/");
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** GitHub's primary (remaining 0) and secondary (Retry-After) rate limits answer 403 or 429. */
    static boolean rateLimited(int status, HttpHeaders headers) {
        return status == 429 || status == 403 && (headers.firstValue("x-ratelimit-remaining").map(String::trim).filter("0"::equals)
                .isPresent() || headers.firstValue("retry-after").isPresent());
    }

    static boolean retryable(int status, HttpHeaders headers) {
        return status >= 500 || rateLimited(status, headers);
    }

    private static GitHubException refusal(Call call, Exchange exchange, int attempts) {
        int status = exchange.status();
        Kind kind;
        if (status == 404) {
            kind = Kind.NOT_FOUND;
        } else if (retryable(status, exchange.headers())) {
            kind = Kind.UNAVAILABLE;
        } else if (status == 401 || status == 403) {
            kind = Kind.NO_ACCESS;
        } else {
            kind = Kind.REJECTED;
        }
        StringBuilder message = new StringBuilder("GitHub ").append(call.name());
        if (exchange.redirectedToHost() != null) {
            message.append(" (redirected to ").append(exchange.redirectedToHost()).append(')');
        }
        message.append(": ").append(statusReason(exchange));
        if (attempts > 1) {
            message.append(" after ").append(attempts).append(" attempts");
        }
        return new GitHubException(kind, status, message.toString());
    }

    /** {@code 422 (Validation Failed)}: the status and GitHub's short error message, if it sent one. */
    private static String statusReason(Exchange exchange) {
        String reason = Integer.toString(exchange.status());
        if (rateLimited(exchange.status(), exchange.headers())) {
            reason += " rate limited";
        } else if (isRedirect(exchange.status())) {
            reason += " redirect not followed";
        }
        String githubMessage = exchange.redirectedToHost() == null ? githubMessage(exchange.body()) : null;
        return githubMessage == null ? reason : reason + " (" + githubMessage + ")";
    }

    private static String githubMessage(byte[] body) {
        if (body == null || body.length == 0 || body[0] != '{') {
            return null;
        }
        try {
            JsonNode message = Json.MAPPER.readTree(body).get("message");
            if (message == null || !message.isTextual() || message.asText().isBlank()) {
                return null;
            }
            String text = message.asText().replaceAll("\\p{Cntrl}", " ").strip();
            return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text;
        } catch (IOException e) {
            return null;
        }
    }

    static GitHubException notAsDocumented(Call call, int status, String what) {
        return new GitHubException(Kind.UNAVAILABLE, status, "GitHub " + call.name() + ": " + status + " with " + what
                + ", not what GitHub documents");
    }

    private static void sleep(Call call, Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(Kind.UNAVAILABLE, 0, "GitHub " + call.name() + ": interrupted");
        }
    }
}
