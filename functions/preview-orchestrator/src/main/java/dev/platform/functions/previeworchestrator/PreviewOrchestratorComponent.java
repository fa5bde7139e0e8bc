package dev.platform.functions.previeworchestrator;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.github.app.CommentReactions;
import dev.platform.core.github.app.RepositoryPermissions;
import dev.platform.core.orchestration.DeploymentStateStore;
import dev.platform.core.orchestration.OrchestrateRepoEvent;
import dev.platform.core.orchestration.Projects;
import java.time.Clock;
import javax.inject.Singleton;

/** Builds the orchestrator's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, PreviewOrchestratorComponent.OrchestrationModule.class})
interface PreviewOrchestratorComponent {

    OrchestrateRepoEvent orchestrate();

    @Component.Factory
    interface Factory {
        PreviewOrchestratorComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class OrchestrationModule {
        private OrchestrationModule() {
        }

        @Provides
        @Singleton
        static OrchestrateRepoEvent orchestrate(DeploymentStateStore store, Projects projects, RepositoryPermissions permissions,
                                                CommentReactions reactions, PlatformEventPublisher publisher, Clock clock) {
            return new OrchestrateRepoEvent(store, projects, permissions, reactions, publisher, clock);
        }
    }
}
