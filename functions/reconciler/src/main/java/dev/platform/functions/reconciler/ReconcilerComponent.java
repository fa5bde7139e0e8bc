package dev.platform.functions.reconciler;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;

import dev.platform.core.deploy.ContainerServices;

import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.ReconcileOrphans;
import dev.platform.core.deploy.Routing;

import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEventPublisher;

import dev.platform.topology.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import javax.inject.Singleton;

/** Builds the reconciler's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, ReconcilerComponent.ReconcileModule.class})
interface ReconcilerComponent {

    ReconcileOrphans reconcile();

    @Component.Factory
    interface Factory {
        ReconcilerComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class ReconcileModule {
        private ReconcileModule() {
        }

        @Provides
        @Singleton
        static ReconcileOrphans reconcile(EnvironmentStore environments, TearDownPreview teardown,
                                          ContainerServices containers, Routing routing, PlatformEventPublisher publisher,
                                          PlatformConfig config, Clock clock) {
            return new ReconcileOrphans(environments, teardown, containers, routing, publisher, grace(config), clock);
        }

        /** {@code RECONCILER_GRACE}: long enough that a deploy under way is never taken for an orphan. */
        static Duration grace(PlatformConfig config) {
            String value = config.get(Settings.RECONCILER_GRACE).map(String::trim).orElse("");
            try {
                Duration grace = value.isEmpty() ? ReconcileOrphans.DEFAULT_GRACE : Duration.parse(value);
                if (!grace.isNegative()) {
                    return grace;
                }
            } catch (DateTimeParseException notADuration) {
                // reported below
            }
            throw new IllegalArgumentException(Settings.RECONCILER_GRACE + " must be an ISO-8601 duration of zero or more, "
                    + "such as PT10M, got '" + value + "'");
        }
    }
}
