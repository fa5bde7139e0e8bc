package dev.platform.aws.api;

import dagger.Module;
import dagger.Provides;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.dynamodb.DynamoProjectActivity;
import dev.platform.core.api.ApiContext;
import dev.platform.core.api.ApiStore;
import dev.platform.core.api.Authenticate;
import dev.platform.core.api.EnvVarsApi;
import dev.platform.core.api.PreviewsApi;
import dev.platform.core.api.ProjectsApi;
import dev.platform.core.api.TeamsApi;
import dev.platform.core.api.UsersApi;
import dev.platform.core.build.BuildStore;
import dev.platform.core.config.DataKeys;
import dev.platform.core.config.EnvVarStore;
import dev.platform.core.config.EnvelopeCipher;
import dev.platform.core.deploy.ContainerServices;
import dev.platform.core.deploy.DeploymentRecords;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.deploy.PromoteDeployment;
import dev.platform.core.events.PlatformEventPublisher;
import dev.platform.core.orchestration.DeploymentStateStore;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The REST API's core operations over the platform table, for the API functions' components. */
@Module
public final class ApiModule {
    private ApiModule() {
    }

    @Provides
    @Singleton
    static ApiContext apiContext(ApiStore store, Clock clock) {
        return new ApiContext(store, clock);
    }

    @Provides
    static Authenticate authenticate(ApiContext context) {
        return new Authenticate(context);
    }

    @Provides
    static UsersApi usersApi(ApiContext context) {
        return new UsersApi(context);
    }

    @Provides
    static TeamsApi teamsApi(ApiContext context) {
        return new TeamsApi(context);
    }

    @Provides
    static ProjectsApi projectsApi(ApiContext context, PlatformEventPublisher events, PlatformConfig config) {
        // a new project starts with the platform's preview policy (not a binding: api-previews also has DeployModule's)
        return new ProjectsApi(context, events, DeployModule.sleepPolicy(config));
    }

    @Provides
    static EnvVarsApi envVarsApi(ApiContext context, EnvVarStore store, DataKeys dataKeys) {
        return new EnvVarsApi(context, store, new EnvelopeCipher(dataKeys));
    }

    @Provides
    static PreviewsApi previewsApi(ApiContext context, DynamoDbClient dynamoDb, PlatformConfig config,
                                   DeploymentStateStore states, EnvironmentStore environments, DeploymentRecords deployments,
                                   BuildStore builds, PlatformEventPublisher events, ContainerServices containers, Clock clock) {
        return new PreviewsApi(context, new DynamoProjectActivity(dynamoDb, config.require(PlatformConfig.TABLE_NAME)), states,
                environments, deployments, builds, events,
                new PromoteDeployment(environments, deployments, containers, events, clock));
    }
}
