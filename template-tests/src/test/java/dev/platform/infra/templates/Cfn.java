package dev.platform.infra.templates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.QueueSpec;
import dev.platform.infra.Platform;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Reading synthesized templates: finding resources and following references across stacks. */
final class Cfn {
    static final String CONTROL_PLANE = Platform.CONTROL_PLANE;
    static final String MESSAGING = Platform.MESSAGING;
    static final String DATA = Platform.DATA;
    static final String COMPUTE = Platform.COMPUTE;

    private Cfn() {
    }

    /** The logical id of the function deployed for this topology entry (found by its handler). */
    static String function(Synth.Result r, FunctionSpec spec) {
        return single(r, CONTROL_PLANE, "AWS::Lambda::Function",
                fn -> fn.path("Properties").path("Handler").asText().equals(spec.handlerClass() + "::handleRequest"),
                "function with handler " + spec.handlerClass());
    }

    /** The logical id of the alias of that function. */
    static String alias(Synth.Result r, FunctionSpec spec) {
        String function = function(r, spec);
        return single(r, CONTROL_PLANE, "AWS::Lambda::Alias",
                a -> function.equals(a.path("Properties").path("FunctionName").path("Ref").asText()),
                "alias of " + spec.name());
    }

    /** The logical id of the queue named in the topology. */
    static String queue(Synth.Result r, String queueName) {
        return single(r, MESSAGING, "AWS::SQS::Queue",
                q -> queueName.equals(q.path("Properties").path("QueueName").asText()), "queue " + queueName);
    }

    static String queue(Synth.Result r, QueueSpec spec) {
        return queue(r, spec.name());
    }

    static String single(Synth.Result r, String stack, String type, java.util.function.Predicate<JsonNode> match,
                         String what) {
        List<String> ids = r.resources(stack, type).entrySet().stream()
                .filter(e -> match.test(e.getValue())).map(Map.Entry::getKey).toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected exactly one " + what + " in " + stack + ", found " + ids);
        }
        return ids.getFirst();
    }

    /**
     * A CloudFormation value as a readable reference: {@code Stack/LogicalId.Arn} for a GetAtt,
     * {@code Stack/LogicalId} for a Ref, literal text as is, joins concatenated. An imported value
     * is followed to the output of the stack that exports it, so a cross-stack reference reads the
     * same as a local one.
     */
    static String resolve(Synth.Result r, String stack, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            String id = value.get("Ref").asText();
            return id.startsWith("AWS::") ? "${" + id + "}" : stack + "/" + id;
        }
        if (value.has("Fn::GetAtt")) {
            return stack + "/" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText();
        }
        if (value.has("Fn::ImportValue")) {
            String exportName = value.get("Fn::ImportValue").asText();
            for (String exporter : r.templates().keySet()) {
                for (Iterator<JsonNode> it = r.json(exporter).path("Outputs").elements(); it.hasNext(); ) {
                    JsonNode output = it.next();
                    if (exportName.equals(output.path("Export").path("Name").asText())) {
                        return resolve(r, exporter, output.get("Value"));
                    }
                }
            }
            throw new AssertionError("no stack exports " + exportName);
        }
        if (value.has("Fn::Select")) {
            return "${select " + value.get("Fn::Select").get(0).asText() + " of "
                    + resolve(r, stack, value.get("Fn::Select").get(1)) + "}";
        }
        if (value.has("Fn::Split")) {
            return "${split '" + value.get("Fn::Split").get(0).asText() + "' of "
                    + resolve(r, stack, value.get("Fn::Split").get(1)) + "}";
        }
        if (value.has("Fn::Join")) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : value.get("Fn::Join").get(1)) {
                joined.append(resolve(r, stack, part));
            }
            return joined.toString();
        }
        throw new AssertionError("cannot resolve " + value);
    }

    /** A value that is one item or a list of items, as a list. */
    static List<JsonNode> list(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        return value.isArray() ? StreamSupport.stream(value.spliterator(), false).toList() : List.of(value);
    }

    /** Whether {@code tree} contains {@code needle} anywhere (as an equal JSON subtree). */
    static boolean contains(JsonNode tree, JsonNode needle) {
        if (tree.equals(needle)) {
            return true;
        }
        for (JsonNode child : tree) {
            if (contains(child, needle)) {
                return true;
            }
        }
        return false;
    }

    static JsonNode ref(String logicalId) {
        return Json.object().put("Ref", logicalId);
    }

    /** Every object (at any depth) that has this key, with the key's value. */
    static List<JsonNode> valuesOf(JsonNode tree, String key) {
        List<JsonNode> found = new ArrayList<>();
        collect(tree, key, found);
        return found;
    }

    private static void collect(JsonNode node, String key, List<JsonNode> found) {
        if (node.isObject() && node.has(key)) {
            found.add(node.get(key));
        }
        for (JsonNode child : node) {
            collect(child, key, found);
        }
    }
}
