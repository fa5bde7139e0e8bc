package dev.platform.functions.buildwatcher;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.build.BuildReports;
import dev.platform.core.build.BuildStore;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.build.ImageRegistry;
import dev.platform.core.build.RecordBuildOutcome;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.topology.Settings;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the watcher's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, BuildWatcherComponent.WatchModule.class})
interface BuildWatcherComponent {

    RecordBuildOutcome record();

    @Component.Factory
    interface Factory {
        BuildWatcherComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class WatchModule {
        private WatchModule() {
        }

        @Provides
        @Singleton
        static RecordBuildOutcome record(BuildTargets targets, BuildStore builds, ImageRegistry registry, CheckRuns checkRuns,
                                         PlatformEventPublisher publisher, PlatformConfig config, Clock clock) {
            return new RecordBuildOutcome(targets, builds, registry,
                    new BuildReports(checkRuns, config.get(Settings.BUILD_LOGS_URL).orElse(null)), publisher, clock);
        }
    }
}
