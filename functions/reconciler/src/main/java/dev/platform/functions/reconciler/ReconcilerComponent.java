package dev.platform.functions.reconciler;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.ReconcileOrphans;
import dev.platform.core.deploy.Routing;
import dev.platform.core.deploy.ShardSlots;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.Projects;
import java.time.Clock;
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
                                          Clock clock) {
            return new ReconcileOrphans(environments, teardown, containers, routing, publisher,
                    ReconcileOrphans.DEFAULT_GRACE, clock);
        }
    }
}
