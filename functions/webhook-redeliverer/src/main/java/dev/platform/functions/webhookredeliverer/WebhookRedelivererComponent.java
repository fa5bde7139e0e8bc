package dev.platform.functions.webhookredeliverer;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.github.RedeliverFailedDeliveries;
import dev.platform.core.github.app.HookDeliveries;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the redeliverer's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, WebhookRedelivererComponent.RedeliverModule.class})
interface WebhookRedelivererComponent {

    RedeliverFailedDeliveries redeliver();

    @Component.Factory
    interface Factory {
        WebhookRedelivererComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class RedeliverModule {
        private RedeliverModule() {
        }

        @Provides
        @Singleton
        static RedeliverFailedDeliveries redeliver(HookDeliveries deliveries, Clock clock) {
            return new RedeliverFailedDeliveries(deliveries, clock);
        }
    }
}
