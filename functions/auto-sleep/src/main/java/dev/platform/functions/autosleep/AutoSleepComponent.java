package dev.platform.functions.autosleep;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.DeployReports;
import dev.platform.core.deploy.DeployTargets;
import dev.platform.core.deploy.EnvironmentHosts;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.TearDownPreview;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.Projects;
import dev.platform.core.sleep.InboundTraffic;
import dev.platform.core.sleep.PreviewIndex;
import dev.platform.core.sleep.SleepPreview;
import dev.platform.core.sleep.SweepPreviews;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the sweep's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, AutoSleepComponent.SweepModule.class})
interface AutoSleepComponent {

    SweepPreviews sweep();

    @Component.Factory
    interface Factory {
        AutoSleepComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class SweepModule {
        private SweepModule() {
        }

        @Provides
        @Singleton
        static SweepPreviews sweep(Projects projects, EnvironmentStore environments, PreviewIndex index,
                                   InboundTraffic traffic, SleepPreview sleeper, TearDownPreview teardown,
                                   DeployTargets marks, DeployReports reports, EnvironmentHosts hosts,
                                   PlatformEventPublisher publisher, Clock clock) {
            return new SweepPreviews(projects, environments, index, traffic, sleeper, teardown, marks, reports, hosts,
                    publisher, clock);
        }
    }
}
