package dev.platform.functions.deployer;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployBuild;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.Routing;
import dev.platform.core.deploy.ShardSlots;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.SleepPolicy;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the deployer's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, DeployerComponent.DeployerModule.class})
interface DeployerComponent {

    DeployBuild deploy();

    @Component.Factory
    interface Factory {
        DeployerComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class DeployerModule {
        private DeployerModule() {
        }

        @Provides
        @Singleton
        static DeployBuild deploy(Projects projects, BuildTargets targets, DeployTargets marks, EnvironmentStore environments,
                                  DeploymentRecords records, ShardSlots slots, ContainerServices containers, Routing routing,
                                  EnvironmentHosts hosts, SleepPolicy policy, DeployReports reports,
                                  PlatformEventPublisher publisher, Clock clock) {
            return new DeployBuild(projects, targets, marks, environments, records, slots, containers, routing, hosts,
                    policy, reports, publisher, clock);
        }
    }
}
