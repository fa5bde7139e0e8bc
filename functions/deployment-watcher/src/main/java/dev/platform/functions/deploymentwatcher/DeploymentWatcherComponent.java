package dev.platform.functions.deploymentwatcher;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.RecordDeploymentOutcome;
import dev.platform.core.deploy.Routing;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.Projects;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the deployment watcher's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, DeploymentWatcherComponent.WatchModule.class})
interface DeploymentWatcherComponent {

    RecordDeploymentOutcome record();

    @Component.Factory
    interface Factory {
        DeploymentWatcherComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class WatchModule {
        private WatchModule() {
        }

        @Provides
        @Singleton
        static RecordDeploymentOutcome record(Projects projects, DeployTargets marks, EnvironmentStore environments,
                                              DeploymentRecords records, ContainerServices containers, Routing routing,
                                              EnvironmentHosts hosts, DeployReports reports,
                                              PlatformEventPublisher publisher, Clock clock) {
            return new RecordDeploymentOutcome(projects, marks, environments, records, containers, routing, hosts, reports,
                    publisher, clock);
        }
    }
}
