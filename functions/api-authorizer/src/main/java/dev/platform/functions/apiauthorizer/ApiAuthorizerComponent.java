package dev.platform.functions.apiauthorizer;

import dagger.BindsInstance;
import dagger.Component;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiModule;
import dev.platform.core.api.Authenticate;
import javax.inject.Singleton;

/** Builds the authorizer's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, ApiModule.class})
interface ApiAuthorizerComponent {

    Authenticate authenticate();

    @Component.Factory
    interface Factory {
        ApiAuthorizerComponent create(@BindsInstance PlatformConfig config);
    }
}
