package dev.platform.functions.previewcontroller;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.PromoteDeployment;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.ControlPreview;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.WakePreview;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the preview controller's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, PreviewControllerComponent.ControlModule.class})
interface PreviewControllerComponent {

    ControlPreview control();

    @Component.Factory
    interface Factory {
        PreviewControllerComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class ControlModule {
        private ControlModule() {
        }

        @Provides
        @Singleton
        static ControlPreview control(Projects projects, EnvironmentStore environments, SleepPreview sleeper,
                                      WakePreview waker, DeploymentRecords records, ContainerServices containers,
                                      CommentReactions reactions, DeployReports reports, EnvironmentHosts hosts,
                                      PlatformEventPublisher publisher, Clock clock) {
            return new ControlPreview(projects, environments, sleeper, waker,
                    new PromoteDeployment(environments, records, containers, publisher, clock), reactions, reports, hosts,
                    publisher, clock);
        }
    }
}
