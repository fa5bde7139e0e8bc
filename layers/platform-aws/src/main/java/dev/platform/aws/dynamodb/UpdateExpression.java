package dev.platform.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Update;
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

    /** {@code SET attribute = attribute + delta}, an absent attribute counting as 0 (counters older items lack). */
    UpdateExpression add(String attribute, long delta) {
        String name = name(attribute);
        sets.add(name + " = if_not_exists(" + name + ", " + value(Attr.n(0)) + ") + " + value(Attr.n(delta)));
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

    UpdateExpression conditionGreaterThan(String attribute, AttributeValue value) {
        conditions.add(name(attribute) + " > " + value(value));
        return this;
    }

    /** The attribute is absent or equals the value: for attributes older items lack. */
    UpdateExpression conditionAbsentOrEquals(String attribute, AttributeValue value) {
        String name = name(attribute);
        conditions.add("(attribute_not_exists(" + name + ") OR " + name + " = " + value(value) + ")");
        return this;
    }

    UpdateExpression conditionAbsentOrLessThan(String attribute, AttributeValue value) {
        String name = name(attribute);
        conditions.add("(attribute_not_exists(" + name + ") OR " + name + " < " + value(value) + ")");
        return this;
    }

    /** The expression as one update of a transaction. */
    Update update(String tableName, Map<String, AttributeValue> key) {
        Update.Builder update = Update.builder().tableName(tableName).key(key)
                .updateExpression(expression()).expressionAttributeNames(names);
        if (!values.isEmpty()) {
            update.expressionAttributeValues(values);
        }
        if (!conditions.isEmpty()) {
            update.conditionExpression(condition());
        }
        return update.build();
    }

    /** The conditions alone, on a delete of a transaction. */
    Delete delete(String tableName, Map<String, AttributeValue> key) {
        Delete.Builder delete = Delete.builder().tableName(tableName).key(key);
        if (!conditions.isEmpty()) {
            delete.conditionExpression(condition()).expressionAttributeNames(names);
            if (!values.isEmpty()) {
                delete.expressionAttributeValues(values);
            }
        }
        return delete.build();
    }

    /** The conditions alone, as a check of a transaction on an item it does not write. */
    ConditionCheck check(String tableName, Map<String, AttributeValue> key) {
        ConditionCheck.Builder check = ConditionCheck.builder().tableName(tableName).key(key)
                .conditionExpression(condition()).expressionAttributeNames(names);
        if (!values.isEmpty()) {
            check.expressionAttributeValues(values);
        }
        return check.build();
    }

    /** Writes expression, condition and placeholders into the request. */
    void applyTo(UpdateItemRequest.Builder request) {
        request.updateExpression(expression()).expressionAttributeNames(names);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        if (!conditions.isEmpty()) {
            request.conditionExpression(condition());
        }
    }

    private String expression() {
        List<String> clauses = new ArrayList<>();
        if (!sets.isEmpty()) {
            clauses.add("SET " + String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            clauses.add("REMOVE " + String.join(", ", removes));
        }
        return String.join(" ", clauses);
    }

    private String condition() {
        return String.join(" AND ", conditions);
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
