package dev.platform.aws.priming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.priming.LoopbackAws.Answer;
import dev.platform.aws.priming.LoopbackAws.Call;
import dev.platform.core.json.Json;
import dev.platform.topology.QueueSpec;
import dev.platform.topology.Settings;
import dev.platform.topology.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SnapStart priming support shared by the functions. {@link PrimingHook} builds a copy of a handler
 * from {@link #config} (every SDK client pointed at a {@link LoopbackAws} answering with
 * {@link #answer}), runs synthetic requests through it, and throws the copy away. The real handler's
 * clients are never called, so priming writes nothing, sends nothing, and fetches neither
 * credentials nor secrets that could end up in the snapshot.
 */
public final class Priming {
    /** The webhook secret of the priming copy; synthetic deliveries are signed with it. */
    public static final String WEBHOOK_SECRET = "snapstart-priming-secret";
    /** The project every repository is linked to during priming, so the whole orchestration path runs. */
    public static final String PROJECT_ID = "snapstart-priming";
    public static final String PRODUCTION_BRANCH = "main";

    private static final Set<String> CREDENTIALS = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

    private Priming() {
    }

    /**
     * The real settings with every endpoint, credential and resource name replaced by loopback
     * stand-ins: static dummy credentials (no credential fetch), the plain priming webhook secret
     * (no Secrets Manager call), every queue URL on the loopback endpoint.
     */
    public static PlatformConfig config(PlatformConfig real, URI endpoint) {
        Map<String, String> settings = new HashMap<>();
        real.settings().forEach((name, value) -> {
            if (!name.startsWith("AWS_ENDPOINT_URL") && !CREDENTIALS.contains(name)
                    && !name.equals(PlatformConfig.GITHUB_WEBHOOK_SECRET_ARN) && !name.equals(PlatformConfig.GITHUB_APP_SECRET_ARN)) {
                settings.put(name, value);
            }
        });
        settings.put("AWS_REGION", real.region());
        settings.put("AWS_ENDPOINT_URL", endpoint.toString());
        settings.put("AWS_ACCESS_KEY_ID", "snapstart-priming");
        settings.put("AWS_SECRET_ACCESS_KEY", "snapstart-priming");
        settings.put(PlatformConfig.TABLE_NAME, "snapstart-priming");
        settings.put(PlatformConfig.EVENT_BUS_NAME, "snapstart-priming");
        settings.put(PlatformConfig.GITHUB_WEBHOOK_SECRET, WEBHOOK_SECRET);
        // The GitHub App of the priming copy: no secret is read, and a call would stay on the loopback.
        settings.put(Settings.GITHUB_APP_ID, "snapstart-priming");
        settings.put(Settings.GITHUB_APP_PRIVATE_KEY, "snapstart-priming: no key");
        settings.put(PlatformConfig.GITHUB_API_URL, endpoint.toString());
        for (QueueSpec queue : Topology.queues()) {
            settings.put(queue.urlVariable(), endpoint + "/000000000000/" + queue.name());
        }
        return new PlatformConfig(settings);
    }

    /**
     * Answers the operations the platform's adapters use, the way the services do: a sent message
     * gets its MD5 checksums (the SDK verifies them), a query for a repository's projects finds
     * {@link #PROJECT_ID}, reads find nothing, writes succeed, events are accepted.
     */
    public static Answer answer(Call call) {
        return switch (call.target()) {
            case "AmazonSQS.SendMessage" -> sendMessage(read(call));
            case "DynamoDB_20120810.Query" -> Answer.ok(projectLinkPage());
            case "DynamoDB_20120810.GetItem", "DynamoDB_20120810.UpdateItem" -> Answer.ok("{}");
            case "AWSEvents.PutEvents" -> putEvents(read(call));
            default -> Answer.error(400, "UnknownOperationException", "priming does not answer " + call.target());
        };
    }

    private static JsonNode read(Call call) {
        try {
            return Json.MAPPER.readTree(call.body());
        } catch (IOException e) {
            throw new IllegalArgumentException(call.target() + " request is not JSON", e);
        }
    }

    private static Answer sendMessage(JsonNode request) {
        ObjectNode response = Json.object();
        response.put("MessageId", "00000000-0000-0000-0000-000000000000");
        response.put("MD5OfMessageBody", md5(request.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8)));
        if (request.path("MessageAttributes").isObject() && !request.path("MessageAttributes").isEmpty()) {
            response.put("MD5OfMessageAttributes", md5OfAttributes(request.path("MessageAttributes")));
        }
        if (request.hasNonNull("MessageGroupId")) {
            response.put("SequenceNumber", "1");
        }
        return Answer.ok(Json.write(response));
    }

    private static String projectLinkPage() {
        ObjectNode page = Json.object();
        ObjectNode item = page.putArray("Items").addObject();
        item.putObject("projectId").put("S", PROJECT_ID);
        item.putObject("teamId").put("S", PROJECT_ID);
        item.putObject("repository").put("S", "snapstart/priming");
        item.putObject("productionBranch").put("S", PRODUCTION_BRANCH);
        page.put("Count", 1);
        page.put("ScannedCount", 1);
        return Json.write(page);
    }

    private static Answer putEvents(JsonNode request) {
        ObjectNode response = Json.object();
        response.put("FailedEntryCount", 0);
        ArrayNode entries = response.putArray("Entries");
        for (int i = 0; i < request.path("Entries").size(); i++) {
            entries.addObject().put("EventId", "snapstart-priming-" + i);
        }
        return Answer.ok(Json.write(response));
    }

    /**
     * SQS's checksum of message attributes: for each attribute in name order, the length-prefixed
     * name, data type, a transport byte (1 string, 2 binary) and the length-prefixed value.
     */
    static String md5OfAttributes(JsonNode attributes) {
        List<String> names = new ArrayList<>();
        attributes.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            JsonNode attribute = attributes.get(name);
            lengthPrefixed(out, name.getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(out, attribute.path("DataType").asText().getBytes(StandardCharsets.UTF_8));
            if (attribute.hasNonNull("StringValue")) {
                out.write(1);
                lengthPrefixed(out, attribute.get("StringValue").asText().getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(2);
                lengthPrefixed(out, Base64.getDecoder().decode(attribute.path("BinaryValue").asText()));
            }
        }
        return md5(out.toByteArray());
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        try {
            out.write(ByteBuffer.allocate(4).putInt(bytes.length).array());
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }
}
