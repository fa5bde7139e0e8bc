package dev.platform.bench;

import java.util.*;
import software.amazon.awssdk.core.*;
import software.amazon.awssdk.core.interceptor.*;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** Sets ReturnConsumedCapacity=TOTAL on every data-plane call (adapters unchanged) and adds up what DynamoDB returns, per operation. */
final class CapacityMeter implements ExecutionInterceptor {
    private static final Set<String> READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");

    /** Consumed since the last {@link #take()}; calls like "GetItem 1.0 RCU, UpdateItem ×2 3.0 WCU". */
    record Usage(double readUnits, double writeUnits, String calls, int unreported) {
        String units() {
            return unreported > 0 ? "not reported by DynamoDB Local for " + unreported + " call(s)"
                    : Report.format("%.1f RCU, %.1f WCU", readUnits, writeUnits);
        }

        Usage plus(Usage other) {
            return new Usage(readUnits + other.readUnits, writeUnits + other.writeUnits, calls + "; " + other.calls, unreported + other.unreported);
        }
    }

    private final Map<String, double[]> operations = new TreeMap<>(); // per operation: calls, units
    private int unreported;

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest.Builder builder = context.request().toBuilder();
        field((SdkPojo) builder, "ReturnConsumedCapacity").ifPresent(f -> f.set(builder, "TOTAL"));
        return builder.build();
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        field(context.response(), "ConsumedCapacity").ifPresent(field -> {
            Object value = field.getValueOrDefault(context.response());
            List<?> consumed = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
            double[] totals = operations.computeIfAbsent(operation, o -> new double[2]);
            totals[0]++;
            unreported += consumed.isEmpty() ? 1 : 0;
            for (Object item : consumed) {
                ConsumedCapacity c = (ConsumedCapacity) item;
                Double units = READS.contains(operation) ? c.readCapacityUnits() : c.writeCapacityUnits();
                totals[1] += units != null ? units : Objects.requireNonNullElse(c.capacityUnits(), 0.0);
            }
        });
    }

    synchronized Usage take() {
        double read = 0;
        double write = 0;
        StringJoiner calls = new StringJoiner(", ");
        for (Map.Entry<String, double[]> entry : operations.entrySet()) {
            boolean isRead = READS.contains(entry.getKey());
            double[] v = entry.getValue();
            read += isRead ? v[1] : 0;
            write += isRead ? 0 : v[1];
            calls.add(entry.getKey() + (v[0] == 1 ? "" : " ×" + (long) v[0]) + " " + Report.format("%.1f", v[1]) + (isRead ? " RCU" : " WCU"));
        }
        Usage usage = new Usage(read, write, calls.toString(), unreported);
        operations.clear();
        unreported = 0;
        return usage;
    }

    private static Optional<SdkField<?>> field(SdkPojo pojo, String member) {
        return pojo.sdkFields().stream().filter(f -> f.memberName().equals(member)).findFirst();
    }
}
