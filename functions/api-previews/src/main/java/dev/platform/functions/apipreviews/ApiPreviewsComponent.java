package dev.platform.functions.apipreviews;

import dagger.BindsInstance;
import dagger.Component;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiModule;
import dev.platform.core.api.PreviewsApi;
import javax.inject.Singleton;

/** Builds the function's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, ApiModule.class})
interface ApiPreviewsComponent {

    PreviewsApi api();

    @Component.Factory
    interface Factory {
        ApiPreviewsComponent create(@BindsInstance PlatformConfig config);
    }
}
