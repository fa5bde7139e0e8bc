package dev.platform.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS Query protocol's two halves as trees: a form body ({@code Conditions.member.1.Values.member.1=a})
 * read into JSON (lists where {@code member.N} is), and JSON written back as the XML the SDK reads (a list's
 * items as {@code <member>}). The ELBv2 and CloudWatch stand-ins speak it; stored resources keep the API's own
 * shape, so they are answered as they came.
 */
public final class QueryForm {
    private QueryForm() {
    }

    /** The form's parameters as a tree: {@code a.b=1} → {@code {"a":{"b":"1"}}}, {@code a.member.2=x} → {@code {"a":[_, "x"]}}. */
    public static ObjectNode tree(String form) {
        Map<String, String> parameters = new TreeMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            parameters.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        ObjectNode root = Json.object();
        parameters.forEach((name, value) -> put(root, name.split("\\."), 0, value));
        return root;
    }

    private static void put(JsonNode parent, String[] path, int at, String value) {
        boolean last = at == path.length - 1;
        if (parent instanceof ArrayNode list) {
            int index = Integer.parseInt(path[at]) - 1;
            while (list.size() <= index) {
                list.addNull();
            }
            if (last) {
                list.set(index, value);
                return;
            }
            if (!list.get(index).isContainerNode()) {
                list.set(index, child(path, at + 1));
            }
            put(list.get(index), path, at + 1 + (path[at + 1].equals("member") ? 1 : 0), value);
            return;
        }
        ObjectNode object = (ObjectNode) parent;
        if (last) {
            object.put(path[at], value);
            return;
        }
        if (!object.path(path[at]).isContainerNode()) {
            object.set(path[at], child(path, at + 1));
        }
        put(object.get(path[at]), path, at + 1 + (path[at + 1].equals("member") ? 1 : 0), value);
    }

    private static JsonNode child(String[] path, int at) {
        return path[at].equals("member") ? Json.MAPPER.createArrayNode() : Json.object();
    }

    /** A whole answer: {@code <ActionResponse xmlns=...><ActionResult>result</ActionResult><ResponseMetadata>...}. */
    public static String response(String action, String namespace, JsonNode result, String requestId) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append('<').append(action).append("Response xmlns=\"").append(namespace).append("\">");
        xml.append('<').append(action).append("Result>");
        write(xml, result);
        xml.append("</").append(action).append("Result>");
        xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        return xml.toString();
    }

    /** An error as the SDK reads a Query protocol one. */
    public static String error(String namespace, String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>Sender</Type><Code>"
                + escape(code) + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + requestId
                + "</RequestId></ErrorResponse>";
    }

    private static void write(StringBuilder xml, JsonNode node) {
        if (node.isArray()) {
            for (JsonNode item : node) {
                xml.append("<member>");
                write(xml, item);
                xml.append("</member>");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    continue;
                }
                xml.append('<').append(field.getKey()).append('>');
                write(xml, field.getValue());
                xml.append("</").append(field.getKey()).append('>');
            }
        } else {
            xml.append(escape(node.asText()));
        }
    }

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
