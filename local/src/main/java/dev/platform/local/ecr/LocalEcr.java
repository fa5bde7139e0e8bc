package dev.platform.local.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.platform.core.json.Json;
import dev.platform.embedded.FreePort;
import dev.platform.local.http.AwsJson;
import dev.platform.local.http.Exchanges;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ECR, locally: the images the local builder pushed, by repository and tag, answered through ECR's
 * {@code DescribeImages} (AWS JSON 1.1) so the real ECR adapter runs against it. Kept in a file of the
 * data dir when there is one.
 */
public final class LocalEcr implements AutoCloseable {
    /** The registry host local repository URIs use. */
    public static final String REGISTRY = "000000000000.dkr.ecr.us-east-1.localhost";
    private static final String PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

    /** One pushed image. */
    public record Image(String repository, String tag, String digest, long sizeBytes, Instant pushedAt) {
    }

    private final HttpServer server;
    private final String host;
    private final Path file;
    /** repository -> tag -> image */
    private final Map<String, Map<String, Image>> images = new LinkedHashMap<>();

    private LocalEcr(HttpServer server, String host, Path file) {
        this.server = server;
        this.host = host;
        this.file = file;
    }

    /** @param file where pushed images are kept across restarts, or null to keep them in memory */
    public static LocalEcr start(String host, Path file) throws IOException {
        HttpServer server = Exchanges.listen(host, 0, 64);
        LocalEcr ecr = new LocalEcr(server, host, file);
        ecr.load();
        server.createContext("/", ecr::serve);
        server.start();
        return ecr;
    }

    public URI endpoint() {
        return FreePort.url(host, server.getAddress().getPort());
    }

    /** {@code <registry>/<repository>} */
    public static String repositoryUri(String repository) {
        return REGISTRY + "/" + repository;
    }

    /** The builder pushed {@code tag} to {@code repository}. */
    public synchronized void push(Image image) throws IOException {
        images.computeIfAbsent(image.repository(), r -> new LinkedHashMap<>()).put(image.tag(), image);
        save();
    }

    public synchronized ArrayNode resources() {
        ArrayNode list = Json.MAPPER.createArrayNode();
        images.values().forEach(byTag -> byTag.values().forEach(image -> list.addObject()
                .put("repository", image.repository()).put("tag", image.tag()).put("digest", image.digest())
                .put("imageUri", repositoryUri(image.repository()) + "@" + image.digest())
                .put("pushedAt", image.pushedAt().toString())));
        return list;
    }

    private void serve(HttpExchange exchange) throws IOException {
        // the error is answered inside the try-with-resources: its catch would run after the exchange closed
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            if (!target.equals(PREFIX + "DescribeImages")) {
                AwsJson.answer(exchange, 400, AwsJson.error("UnknownOperationException", "the local ECR answers DescribeImages only, not " + target));
                return;
            }
            try {
                AwsJson.answer(exchange, 200, describeImages(request));
            } catch (NotFound e) {
                AwsJson.answer(exchange, 400, AwsJson.error(e.type, e.getMessage()));
            }
        }
    }

    private static final class NotFound extends RuntimeException {
        final String type;

        NotFound(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private synchronized ObjectNode describeImages(JsonNode request) {
        String repository = request.path("repositoryName").asText();
        Map<String, Image> byTag = images.get(repository);
        if (byTag == null) {
            throw new NotFound("RepositoryNotFoundException", "The repository with name '" + repository
                    + "' does not exist in the registry with id '000000000000'");
        }
        ObjectNode response = Json.object();
        ArrayNode details = response.putArray("imageDetails");
        if (request.path("imageIds").isEmpty()) {
            byTag.values().forEach(image -> detail(details, image));
            return response;
        }
        for (JsonNode id : request.path("imageIds")) {
            Image image = byTag.get(id.path("imageTag").asText());
            if (image == null) {
                throw new NotFound("ImageNotFoundException", "The image with imageId {imageTag:'" + id.path("imageTag").asText()
                        + "'} does not exist within the repository with name '" + repository + "'");
            }
            detail(details, image);
        }
        return response;
    }

    private static void detail(ArrayNode details, Image image) {
        ObjectNode detail = details.addObject();
        detail.put("registryId", "000000000000").put("repositoryName", image.repository()).put("imageDigest", image.digest())
                .put("imageSizeInBytes", image.sizeBytes()).put("imagePushedAt", image.pushedAt().getEpochSecond())
                .put("imageManifestMediaType", "application/vnd.oci.image.manifest.v1+json");
        detail.putArray("imageTags").add(image.tag());
    }

    private void load() throws IOException {
        if (file == null || !Files.exists(file)) {
            return;
        }
        for (JsonNode image : Json.MAPPER.readTree(Files.readAllBytes(file))) {
            Image loaded = new Image(image.path("repository").asText(), image.path("tag").asText(), image.path("digest").asText(),
                    image.path("sizeBytes").asLong(), Instant.parse(image.path("pushedAt").asText()));
            images.computeIfAbsent(loaded.repository(), r -> new LinkedHashMap<>()).put(loaded.tag(), loaded);
        }
    }

    private void save() throws IOException {
        if (file == null) {
            return;
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        images.values().forEach(byTag -> byTag.values().forEach(image -> list.addObject()
                .put("repository", image.repository()).put("tag", image.tag()).put("digest", image.digest())
                .put("sizeBytes", image.sizeBytes()).put("pushedAt", image.pushedAt().toString())));
        AwsJson.writeAtomically(file, Json.write(list));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
