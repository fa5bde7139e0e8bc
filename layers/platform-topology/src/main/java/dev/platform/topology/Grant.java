package dev.platform.topology;

/**
 * What a function may reach. The CDK app turns each grant into least-privilege IAM statements and
 * the environment variables that name the resource; nothing else is granted.
 */
public sealed interface Grant {

    /** Send messages to a queue (its URL arrives in {@link QueueSpec#urlVariable()}). */
    record SendMessages(QueueSpec queue) implements Grant {
    }

    /** Read and write items of the platform table ({@code TABLE_NAME}). */
    record ReadWriteTable() implements Grant {
    }

    /** Put events on the platform event bus ({@code EVENT_BUS_NAME}). */
    record PutPlatformEvents() implements Grant {
    }

    /** Read the GitHub webhook secret. */
    record ReadWebhookSecret() implements Grant {
    }
}
