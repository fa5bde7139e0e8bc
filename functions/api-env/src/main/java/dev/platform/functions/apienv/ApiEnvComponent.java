package dev.platform.functions.apienv;

import dagger.BindsInstance;
import dagger.Component;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiModule;
import dev.platform.core.api.EnvVarsApi;
import javax.inject.Singleton;

/** Builds the function's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, ApiModule.class})
interface ApiEnvComponent {

    EnvVarsApi api();

    @Component.Factory
    interface Factory {
        ApiEnvComponent create(@BindsInstance PlatformConfig config);
    }
}
