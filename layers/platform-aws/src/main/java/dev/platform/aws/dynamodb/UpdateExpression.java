package dev.platform.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A DynamoDB update expression and its placeholders: every attribute name and value goes through a
 * numbered {@code #n} / {@code :v} placeholder, so names that are reserved words or contain {@code #}
 * (outbox keys) are always safe.
 */
final class UpdateExpression {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();

    /** {@code SET path = value}; the path's parts are attribute names (a map key below an attribute too). */
    UpdateExpression set(AttributeValue value, String... path) {
        sets.add(path(path) + " = " + value(value));
        return this;
    }

    /** {@code REMOVE path}. */
    UpdateExpression remove(String... path) {
        removes.add(path(path));
        return this;
    }

    /** {@code SET attribute = attribute + 1}. */
    UpdateExpression increment(String attribute) {
        String name = name(attribute);
        sets.add(name + " = " + name + " + " + value(Attr.n(1)));
        return this;
    }

    /** Conditions add up: every one must hold. */
    UpdateExpression conditionAbsent(String attribute) {
        conditions.add("attribute_not_exists(" + name(attribute) + ")");
        return this;
    }

    UpdateExpression conditionPresent(String attribute) {
        conditions.add("attribute_exists(" + name(attribute) + ")");
        return this;
    }

    UpdateExpression conditionEquals(String attribute, AttributeValue value) {
        conditions.add(name(attribute) + " = " + value(value));
        return this;
    }

    UpdateExpression conditionNotEquals(String attribute, AttributeValue value) {
        conditions.add(name(attribute) + " <> " + value(value));
        return this;
    }

    /** Writes expression, condition and placeholders into the request. */
    void applyTo(UpdateItemRequest.Builder request) {
        List<String> clauses = new ArrayList<>();
        if (!sets.isEmpty()) {
            clauses.add("SET " + String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            clauses.add("REMOVE " + String.join(", ", removes));
        }
        request.updateExpression(String.join(" ", clauses)).expressionAttributeNames(names);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        if (!conditions.isEmpty()) {
            request.conditionExpression(String.join(" AND ", conditions));
        }
    }

    private String path(String... parts) {
        List<String> placeholders = new ArrayList<>();
        for (String part : parts) {
            placeholders.add(name(part));
        }
        return String.join(".", placeholders);
    }

    private String name(String attribute) {
        String placeholder = "#n" + names.size();
        names.put(placeholder, attribute);
        return placeholder;
    }

    private String value(AttributeValue value) {
        String placeholder = ":v" + values.size();
        values.put(placeholder, value);
        return placeholder;
    }
}
