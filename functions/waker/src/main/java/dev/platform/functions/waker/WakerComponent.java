package dev.platform.functions.waker;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import dev.platform.aws.AwsModule;
import dev.platform.aws.DeployModule;
import dev.platform.aws.PlatformConfig;
import dev.platform.core.deploy.EnvironmentStore;
import dev.platform.core.sleep.PreviewIndex;
import dev.platform.core.sleep.WakeOnRequest;
import dev.platform.core.sleep.WakePreview;
import javax.inject.Singleton;

/** Builds the waker's object graph once, in the handler's constructor. */
@Singleton
@Component(modules = {AwsModule.class, DeployModule.class, WakerComponent.WakeModule.class})
interface WakerComponent {

    WakeOnRequest wake();

    @Component.Factory
    interface Factory {
        WakerComponent create(@BindsInstance PlatformConfig config);
    }

    @Module
    final class WakeModule {
        private WakeModule() {
        }

        @Provides
        @Singleton
        static WakeOnRequest wake(PreviewIndex index, EnvironmentStore environments, WakePreview waker) {
            return new WakeOnRequest(index, environments, waker);
        }
    }
}
