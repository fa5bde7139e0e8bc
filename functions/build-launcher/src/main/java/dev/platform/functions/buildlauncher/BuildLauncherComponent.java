package dev.platform.functions.buildlauncher;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.build.BuildReports;
import dev.platform.core.build.BuildStore;
import dev.platform.core.build.BuildTargets;
import dev.platform.core.build.BuilderTasks;
import dev.platform.core.build.ImageRegistry;
import dev.platform.core.build.LaunchBuild;
import dev.platform.core.build.SourceStore;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CheckRuns;
import dev.platform.core.github.app.CommitArchives;
import dev.platform.core.orchestration.Projects;
import dev.platform.topology.Settings;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the launcher's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, BuildLauncherComponent.LaunchModule.class})
interface BuildLauncherComponent {

    LaunchBuild launch();

    @Component.Factory
    interface Factory {
        BuildLauncherComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class LaunchModule {
        /** The source snapshot cap when {@code BUILD_MAX_SOURCE_BYTES} is not set: 500 MiB. */
        static final long DEFAULT_MAX_SOURCE_BYTES = 500L * 1024 * 1024;

        private LaunchModule() {
        }

        @Provides
        @Singleton
        static LaunchBuild launch(Projects projects, BuildTargets targets, BuildStore builds, CommitArchives archives,
                                  SourceStore sources, BuilderTasks builder, ImageRegistry registry, CheckRuns checkRuns,
                                  PlatformEventPublisher publisher, PlatformConfig config, Clock clock) {
            long maxSourceBytes = config.get(Settings.BUILD_MAX_SOURCE_BYTES).map(Long::parseLong).orElse(DEFAULT_MAX_SOURCE_BYTES);
            return new LaunchBuild(projects, targets, builds, archives, sources, builder, registry,
                    new BuildReports(checkRuns, config.get(Settings.BUILD_LOGS_URL).orElse(null)), publisher,
                    new LaunchBuild.Settings(maxSourceBytes, config.require(Settings.BUILD_CACHE_REPOSITORY_URI)), clock);
        }
    }
}
