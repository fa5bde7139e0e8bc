package dev.platform.local.elb;

import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import dev.platform.core.deploy.ResourceTags;
import dev.platform.core.json.JsonLog;
import dev.platform.local.ecs.LocalEcs;
import dev.platform.local.http.QueryForm;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the load balancers do with a request, locally: its Host (port stripped, lower-cased) picks a listener
 * rule's target group. An ECS service behind it answers — locally with a page naming the project, pull request,
 * commit and deployment its task definition is tagged with, since no container runs. A lambda target group's
 * function is invoked with the request event an ALB sends (multi-value headers off) and its response is the
 * answer; a function that throws or answers something that is not a response is a 502, as on AWS. A host under
 * the preview domain that no rule names is a 404, as the listeners' default rule gives; any other host is not
 * the load balancers' (the runtime's own endpoints answer it).
 *
 * <p>Requests are routed concurrently: nothing here holds a lock while a target answers.
 */
public final class LocalRouter {
    /** The largest request body an ALB passes to a Lambda function (larger: 413), and the largest answer it takes (larger: 502). */
    static final int MAX_LAMBDA_BYTES = 1024 * 1024;
    /** Content types whose bodies an ALB passes to a function as text; any other body arrives base64-encoded. */
    private static final List<String> TEXT_TYPES = List.of("application/json", "application/javascript", "application/xml");

    /** A request as the load balancers see it. @param body read only when a function is invoked with it */
    public record Request(String method, URI uri, Map<String, List<String>> headers, String remoteAddress, int localPort,
                          InputStream body) {
        /** The last value of a header, whatever the case of its name, or null. */
        String header(String name) {
            String value = null;
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    value = header.getValue().get(header.getValue().size() - 1);
                }
            }
            return value;
        }
    }

    /** An answer of a routed request: status, headers (Content-Type among them) and body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public static final String CONTENT_TYPE = "text/html; charset=utf-8";

        public Answer {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    /** The ECS services behind target groups of type {@code ip} ({@link LocalEcs#serving(String)}). */
    @FunctionalInterface
    public interface ServiceTargets {
        /** The ACTIVE service that this target group's traffic goes to, if any. */
        Optional<LocalEcs.Serving> serving(String targetGroupArn);
    }

    /** Sees each request a target of a target group got: what the load balancer counts as {@code RequestCount}. */
    @FunctionalInterface
    public interface Served {
        void served(String loadBalancerArn, String targetGroupArn, Instant at);
    }

    private final LocalElb elb;
    private final ServiceTargets services;
    private final LambdaTargets lambdas;
    private final String previewDomain;
    private final Clock clock;
    private volatile Served served = (loadBalancer, targetGroup, at) -> { };

    public LocalRouter(LocalElb elb, ServiceTargets services, LambdaTargets lambdas, String previewDomain, Clock clock) {
        this.elb = elb;
        this.services = services;
        this.lambdas = lambdas;
        this.previewDomain = previewDomain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    /** Sees every request that reached a target (the local CloudWatch counts them). */
    public void onServed(Served listener) {
        this.served = listener;
    }

    /** The answer for this request, or empty when its Host is not the load balancers'. */
    public Optional<Answer> route(Request request) throws IOException {
        String hostHeader = request.header("Host");
        if (hostHeader == null) {
            return Optional.empty();
        }
        String hostName = hostName(hostHeader);
        Optional<LocalElb.Forward> forward = elb.forward(hostName);
        if (forward.isEmpty()) {
            boolean preview = hostName.equals(previewDomain) || hostName.endsWith("." + previewDomain);
            return preview ? Optional.of(page(404, "Not found", "Nothing is deployed at " + escape(hostName) + "."))
                    : Optional.empty();
        }
        return Optional.of(forward.get().lambda() ? invoke(forward.get(), request) : serve(forward.get()));
    }

    private Answer serve(LocalElb.Forward forward) {
        Optional<LocalEcs.Serving> serving = services.serving(forward.targetGroupArn());
        if (serving.isEmpty() || serving.get().runningCount() == 0) {
            return page(503, "Service unavailable", "This deployment is not running right now.");
        }
        served.served(forward.loadBalancerArn(), forward.targetGroupArn(), clock.instant());
        Map<String, String> tags = serving.get().tags();
        String deployment = tags.getOrDefault(ResourceTags.DEPLOYMENT, "");
        String pr = tags.get(ResourceTags.PR);
        Answer page = page(200, escape(tags.getOrDefault(ResourceTags.PROJECT, "")),
                "<dl><dt>Project</dt><dd>" + escape(tags.getOrDefault(ResourceTags.PROJECT, "")) + "</dd>"
                        + "<dt>Pull request</dt><dd>" + (pr == null ? "none (production)" : "#" + escape(pr)) + "</dd>"
                        + "<dt>Commit</dt><dd>" + escape(tags.getOrDefault(ResourceTags.COMMIT, "")) + "</dd>"
                        + "<dt>Deployment</dt><dd>" + escape(deployment) + "</dd></dl>");
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("X-Platform-Deployment", deployment);
        return new Answer(page.status(), headers, page.body());
    }

    /** The load balancer's Lambda integration: the request as an ALB event, the function's response as the answer. */
    private Answer invoke(LocalElb.Forward forward, Request request) throws IOException {
        if (forward.targets().isEmpty()) {
            return page(503, "Service unavailable", "The target group has no registered target.");
        }
        byte[] body = request.body().readNBytes(MAX_LAMBDA_BYTES + 1);
        if (body.length > MAX_LAMBDA_BYTES) {
            return page(413, "Request entity too large", "A Lambda target takes a request body of at most 1 MB.");
        }
        String functionArn = forward.targets().get(0);
        ApplicationLoadBalancerRequestEvent event = event(forward.targetGroupArn(), request, body);
        served.served(forward.loadBalancerArn(), forward.targetGroupArn(), clock.instant());
        ApplicationLoadBalancerResponseEvent response;
        try {
            response = lambdas.invoke(functionArn, event);
        } catch (RuntimeException e) {
            JsonLog.error("lambda target failed", Map.of("function", functionArn, "targetGroup", forward.targetGroupArn()), e);
            return badGateway();
        }
        Optional<Answer> answer = answer(response);
        if (answer.isEmpty()) {
            JsonLog.warn("lambda target answered no valid response", Map.of("function", functionArn,
                    "targetGroup", forward.targetGroupArn()));
            return badGateway();
        }
        return answer.get();
    }

    /** The event an ALB sends with multi-value headers off: last values, lower-case header names, raw query values. */
    static ApplicationLoadBalancerRequestEvent event(String targetGroupArn, Request request, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(values.size() - 1));
            }
        });
        String forwardedFor = headers.get("x-forwarded-for");
        headers.put("x-forwarded-for", forwardedFor == null ? request.remoteAddress() : forwardedFor + ", " + request.remoteAddress());
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(request.localPort()));
        headers.put("x-amzn-trace-id", traceId());

        Map<String, String> query = new LinkedHashMap<>();
        String rawQuery = request.uri().getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    // as the ALB does: not decoded, the last value of a repeated name
                    query.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
                }
            }
        }

        ApplicationLoadBalancerRequestEvent.Elb elb = new ApplicationLoadBalancerRequestEvent.Elb();
        elb.setTargetGroupArn(targetGroupArn);
        ApplicationLoadBalancerRequestEvent.RequestContext context = new ApplicationLoadBalancerRequestEvent.RequestContext();
        context.setElb(elb);
        ApplicationLoadBalancerRequestEvent event = new ApplicationLoadBalancerRequestEvent();
        event.setRequestContext(context);
        event.setHttpMethod(request.method());
        String path = request.uri().getRawPath();
        event.setPath(path == null || path.isEmpty() ? "/" : path);
        event.setQueryStringParameters(query);
        event.setHeaders(headers);
        boolean text = body.length == 0 || isText(headers.get("content-type"));
        event.setBody(text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        event.setIsBase64Encoded(!text);
        return event;
    }

    /** text/*, application/json, application/javascript and application/xml bodies go as they are. */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || TEXT_TYPES.contains(type);
    }

    /** {@code Root=1-<epoch seconds, hex>-<96 random bits, hex>}, as the ALB adds it. */
    private static String traceId() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + HexFormat.of().formatHex(random);
    }

    /** The function's response as the ALB writes it, or empty when it is not a valid one (no status, a bad body). */
    static Optional<Answer> answer(ApplicationLoadBalancerResponseEvent response) {
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            return Optional.empty();
        }
        String body = response.getBody() == null ? "" : response.getBody();
        if (body.length() > MAX_LAMBDA_BYTES) {
            return Optional.empty();
        }
        byte[] bytes;
        if (response.getIsBase64Encoded()) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return Optional.of(new Answer(response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(), bytes));
    }

    private static Answer badGateway() {
        return page(502, "Bad gateway", "The target did not answer with a valid response.");
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

    private static Answer page(int status, String title, String body) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1>" + (body.startsWith("<") ? body : "<p>" + body + "</p>") + "</body></html>\n";
        return new Answer(status, Map.of("Content-Type", Answer.CONTENT_TYPE), html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return QueryForm.escape(text);
    }
}
