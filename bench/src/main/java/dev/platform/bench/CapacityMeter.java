package dev.platform.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks DynamoDB for the capacity every call consumes ({@code ReturnConsumedCapacity=TOTAL}, set on
 * the request by this interceptor, so the adapters under test stay as they are) and adds it up, with
 * the number of calls per operation. Single-threaded use: one measured call at a time.
 */
final class CapacityMeter implements ExecutionInterceptor {

    /**
     * What was consumed since the last {@link #reset()}.
     *
     * @param byOperation per operation name: calls, read units, write units
     */
    record Usage(double readUnits, double writeUnits, Map<String, double[]> byOperation, int unreported) {
        /** For example {@code GetItem 1.0 RCU, TransactWriteItems 6.0 WCU}; a count when an operation ran more than once. */
        String describeCalls() {
            StringBuilder out = new StringBuilder();
            byOperation.forEach((operation, v) -> {
                out.append(out.isEmpty() ? "" : ", ").append(operation);
                if (v[0] != 1) {
                    out.append(" ×").append((long) v[0]);
                }
                if (v[1] > 0 || v[2] == 0) {
                    out.append(' ').append(Fmt.units(v[1])).append(" RCU");
                }
                if (v[2] > 0) {
                    out.append(' ').append(Fmt.units(v[2])).append(" WCU");
                }
            });
            return out.toString();
        }
    }

    private double readUnits;
    private double writeUnits;
    private Map<String, double[]> byOperation = new TreeMap<>();
    private int unreported;

    synchronized void reset() {
        readUnits = 0;
        writeUnits = 0;
        byOperation = new TreeMap<>();
        unreported = 0;
    }

    synchronized Usage usage() {
        Map<String, double[]> copy = new TreeMap<>();
        byOperation.forEach((operation, v) -> copy.put(operation, v.clone()));
        return new Usage(readUnits, writeUnits, java.util.Collections.unmodifiableMap(copy), unreported);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        return switch (context.request()) {
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case ScanRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactGetItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            default -> context.request();
        };
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkResponse response = context.response();
        List<ConsumedCapacity> consumed = switch (response) {
            case GetItemResponse r -> one(r.consumedCapacity());
            case QueryResponse r -> one(r.consumedCapacity());
            case ScanResponse r -> one(r.consumedCapacity());
            case PutItemResponse r -> one(r.consumedCapacity());
            case UpdateItemResponse r -> one(r.consumedCapacity());
            case DeleteItemResponse r -> one(r.consumedCapacity());
            case TransactWriteItemsResponse r -> r.hasConsumedCapacity() ? r.consumedCapacity() : null;
            case TransactGetItemsResponse r -> r.hasConsumedCapacity() ? r.consumedCapacity() : null;
            case BatchGetItemResponse r -> r.hasConsumedCapacity() ? r.consumedCapacity() : null;
            case BatchWriteItemResponse r -> r.hasConsumedCapacity() ? r.consumedCapacity() : null;
            default -> null;
        };
        boolean read = response instanceof GetItemResponse || response instanceof QueryResponse
                || response instanceof ScanResponse || response instanceof TransactGetItemsResponse
                || response instanceof BatchGetItemResponse;
        synchronized (this) {
            double[] perOperation = byOperation.computeIfAbsent(
                    operation == null ? response.getClass().getSimpleName() : operation, o -> new double[3]);
            perOperation[0]++;
            if (!isDataPlane(response)) {
                return;
            }
            if (consumed == null || consumed.isEmpty()) {
                unreported++;
                return;
            }
            for (ConsumedCapacity capacity : consumed) {
                double units = capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
                if (read) {
                    double r = capacity.readCapacityUnits() != null ? capacity.readCapacityUnits() : units;
                    readUnits += r;
                    perOperation[1] += r;
                } else {
                    double w = capacity.writeCapacityUnits() != null ? capacity.writeCapacityUnits() : units;
                    writeUnits += w;
                    perOperation[2] += w;
                }
            }
        }
    }

    private static boolean isDataPlane(SdkResponse response) {
        return response instanceof GetItemResponse || response instanceof QueryResponse || response instanceof ScanResponse
                || response instanceof PutItemResponse || response instanceof UpdateItemResponse
                || response instanceof DeleteItemResponse || response instanceof TransactWriteItemsResponse
                || response instanceof TransactGetItemsResponse || response instanceof BatchGetItemResponse
                || response instanceof BatchWriteItemResponse;
    }

    private static List<ConsumedCapacity> one(ConsumedCapacity capacity) {
        return capacity == null ? null : List.of(capacity);
    }
}
