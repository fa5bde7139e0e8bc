package dev.platform.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/** Every dead-letter queue gets one: a message there is work the platform gave up on. */
final class DeadLetterAlarms {
    private DeadLetterAlarms() {
    }

    static Alarm watch(Construct scope, String id, IQueue deadLetterQueue, String what, ITopic alarmTopic) {
        Alarm alarm = deadLetterQueue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1))
                        .statistic("Maximum")
                        .build())
                .createAlarm(scope, id, CreateAlarmOptions.builder()
                        .alarmDescription("A message reached the dead-letter queue of " + what
                                + ": inspect it, fix the cause, then redrive it.")
                        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                        .threshold(0)
                        .evaluationPeriods(1)
                        // An empty, idle queue reports no data: that is the healthy state.
                        .treatMissingData(TreatMissingData.NOT_BREACHING)
                        .build());
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        return alarm;
    }
}
