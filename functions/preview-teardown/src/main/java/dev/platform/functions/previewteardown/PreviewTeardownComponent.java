package dev.platform.functions.previewteardown;

import dagger.BindsInstance;
import dagger.Component;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.TearDownPreview;
import javax.inject.Singleton;

/** Builds the teardown's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class})
interface PreviewTeardownComponent {

    TearDownPreview teardown();

    @Component.Factory
    interface Factory {
        PreviewTeardownComponent create(@BindsInstance PlatformConfig config);
    }
}
