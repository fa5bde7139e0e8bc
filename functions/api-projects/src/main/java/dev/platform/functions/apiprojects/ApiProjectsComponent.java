package dev.platform.functions.apiprojects;

import dagger.BindsInstance;
import dagger.Component;
import dev.platform.aws.AwsModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.aws.api.ApiModule;
import dev.platform.core.api.ProjectsApi;
import javax.inject.Singleton;

/** Builds the function's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, ApiModule.class})
interface ApiProjectsComponent {

    ProjectsApi api();

    @Component.Factory
    interface Factory {
        ApiProjectsComponent create(@BindsInstance PlatformConfig config);
    }
}
