package dev.zonedev.core;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;

/** The Dagger component that assembles one {@link Engine} per {@link EngineConfig}. */
@Singleton
@Component(modules = EngineModule.class)
interface EngineComponent {
    Engine engine();

    /** Builds a component for a configuration. */
    @Component.Factory
    interface Factory {
        EngineComponent create(@BindsInstance EngineConfig config);
    }
}
