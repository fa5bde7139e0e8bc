package dev.platform.functions.githubwebhook;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.github.AcceptGitHubDelivery;
import dev.platform.core.github.WebhookSecretSource;
import dev.platform.core.repoevent.RepoEventQueue;
import javax.inject.Singleton;

/** Builds the webhook's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, GitHubWebhookComponent.IntakeModule.class})
interface GitHubWebhookComponent {

    AcceptGitHubDelivery intake();

    /** The secret the intake verifies with (SnapStart restore drops its cached value). */
    WebhookSecretSource webhookSecret();

    @Component.Factory
    interface Factory {
        GitHubWebhookComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class IntakeModule {
        private IntakeModule() {
        }

        @Provides
        @Singleton
        static AcceptGitHubDelivery intake(WebhookSecretSource secrets, RepoEventQueue queue, PlatformConfig config) {
            return new AcceptGitHubDelivery(secrets, queue,
                    config.intSetting(PlatformConfig.WEBHOOK_MAX_BODY_BYTES, AcceptGitHubDelivery.DEFAULT_MAX_BODY_BYTES));
        }
    }
}
