package dev.platform.infra;

import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.topology.DataTable;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Grant;
import dev.platform.topology.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * What a function may reach, derived only from its {@link FunctionSpec#grants()}: the IAM
 * statements (explicit actions on named resources, never a wildcard action) and the environment
 * variables that name those resources. Nothing else is granted here.
 */
record FunctionAccess(Map<String, String> environment, List<PolicyStatement> statements) {

    /**
     * The item-level actions the adapters use (transactions are authorized per contained action).
     * No Scan: the design reaches every item through a key or an index.
     */
    static final List<String> TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
    static final List<String> INDEX_ACTIONS = List.of("dynamodb:Query");
    static final List<String> SEND_ACTIONS = List.of("sqs:SendMessage");
    static final List<String> PUT_EVENTS_ACTIONS = List.of("events:PutEvents");
    static final List<String> READ_SECRET_ACTIONS = List.of("secretsmanager:GetSecretValue");

    static FunctionAccess of(FunctionSpec function, DataStack data, MessagingStack messaging) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(Settings.FUNCTION_TIMEOUT_SECONDS, Integer.toString(function.timeoutSeconds()));
        List<PolicyStatement> statements = new ArrayList<>();
        for (Grant grant : function.grants()) {
            switch (grant) {
                case Grant.SendMessages send -> {
                    IQueue queue = messaging.queue(send.queue());
                    environment.put(send.queue().urlVariable(), queue.getQueueUrl());
                    // The queues use SQS-managed encryption: no KMS permission is needed to send.
                    statements.add(allow(SEND_ACTIONS, List.of(queue.getQueueArn())));
                }
                case Grant.ReadWriteTable ignored -> {
                    environment.put(Settings.TABLE_NAME, data.table().getTableName());
                    statements.add(allow(TABLE_ACTIONS, List.of(data.table().getTableArn())));
                    List<String> indexes = data.spec().globalIndexes().stream()
                            .map(DataTable.GlobalIndex::name)
                            .map(name -> data.table().getTableArn() + "/index/" + name)
                            .toList();
                    if (!indexes.isEmpty()) {
                        statements.add(allow(INDEX_ACTIONS, indexes));
                    }
                }
                case Grant.PutPlatformEvents ignored -> {
                    environment.put(Settings.EVENT_BUS_NAME, messaging.bus().getEventBusName());
                    statements.add(allow(PUT_EVENTS_ACTIONS, List.of(messaging.bus().getEventBusArn())));
                }
                case Grant.ReadWebhookSecret ignored -> {
                    environment.put(Settings.GITHUB_WEBHOOK_SECRET_ARN, data.webhookSecret().getSecretArn());
                    // Whoever reads the webhook secret receives deliveries: state their size limit
                    // explicitly (API Gateway's own limit is 10 MB, Lambda's request limit 6 MB).
                    environment.put(Settings.WEBHOOK_MAX_BODY_BYTES,
                            Integer.toString(AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES));
                    statements.add(allow(READ_SECRET_ACTIONS, List.of(data.webhookSecret().getSecretArn())));
                }
            }
        }
        return new FunctionAccess(environment, statements);
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
