package dev.zonedev.core;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.PageFlags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * Dagger bindings of the engine. Arch plugins enter as a multibinding fed by {@link
 * java.util.ServiceLoader}, so the SPI stays free of dependency injection.
 */
@Module
interface EngineModule {

    @Provides
    @ElementsIntoSet
    static Set<Arch> discoveredArches(EngineConfig config) {
        // An instance offered explicitly replaces a discovered plugin of the same name.
        Set<Arch> arches = new LinkedHashSet<>(config.extraArches());
        Set<String> offered = new HashSet<>();
        config.extraArches().forEach(a -> offered.add(a.name()));
        for (Arch a : ArchDiscovery.load(Arch.class, config.pluginLoader())) {
            if (!offered.contains(a.name())) {
                arches.add(a);
            }
        }
        return arches;
    }

    @Provides
    @Singleton
    static Arch selectedArch(Set<Arch> arches, EngineConfig config) {
        List<Arch> list = new ArrayList<>(arches);
        return ArchDiscovery.select(config.arch(), list);
    }

    @Provides
    @Singleton
    static MemmapStrategy selectedStrategy(EngineConfig config) {
        return ArchDiscovery.selectStrategy(
                config.strategy(), ArchDiscovery.load(MemmapStrategy.class, config.pluginLoader()));
    }

    @Provides
    @Singleton
    static FaultInjector faultInjector() {
        return new FaultInjector();
    }

    @Provides
    @Singleton
    static NumaTopology numaTopology(EngineConfig config) {
        return NumaTopology.of(config);
    }

    @Provides
    @Singleton
    static PhysicalMemory physicalMemory(EngineConfig config) {
        return new PhysicalMemory(config.maxPhysicalBytes());
    }

    @Provides
    @Singleton
    static VmemmapSpace vmemmapSpace(EngineConfig config, SectionRegistry sections) {
        // Depends on the sections so that a configuration they refuse reserves nothing.
        return new VmemmapSpace(config.maxPhysicalBytes());
    }

    @Provides
    @Singleton
    static SectionRegistry sectionRegistry(Arch arch, EngineConfig config) {
        PageFlags.checkSections(
                "arch " + arch.name() + ": ", arch.sectionSize(), config.maxPhysicalBytes());
        return new SectionRegistry(arch.sectionSize(), config.maxPhysicalBytes());
    }

    @Provides
    @Singleton
    static PageTable pageTable(
            VmemmapSpace space, PhysicalMemory physicalMemory, FaultInjector faults) {
        return new PageTable(space, physicalMemory, faults);
    }

    @Provides
    @Singleton
    static ExecutorService asyncExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(
                r -> {
                    Thread t = new Thread(r, "zonedev-async-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Provides
    @Singleton
    static FailureLog failureLog() {
        return new FailureLog();
    }

    @Provides
    @Singleton
    @Named("memmap_init")
    static AsyncDomain populationDomain(ExecutorService executor, FailureLog failures) {
        return new AsyncDomain("memmap_init", executor, failures::record);
    }

    @Provides
    @Singleton
    @Named("memmap_pages")
    static AsyncDomain pagesDomain(ExecutorService executor, FailureLog failures) {
        return new AsyncDomain("memmap_pages", executor, failures::record);
    }

    @Provides
    @Singleton
    static Hotplug hotplug(
            SectionRegistry sections,
            PageTable pageTable,
            Arch arch,
            FaultInjector faults,
            @Named("memmap_init") AsyncDomain populationDomain,
            EngineConfig config,
            BackgroundGate gate,
            NumaTopology numa) {
        return new Hotplug(
                sections,
                pageTable,
                arch.vmemmapBlockSize(),
                faults,
                populationDomain,
                config.maxPhysicalBytes(),
                gate,
                numa);
    }

    @Provides
    static MemoryProbe memoryProbe() {
        return MemoryProbe.system();
    }

    @Provides
    @Singleton
    static BackgroundGate backgroundGate() {
        return new BackgroundGate();
    }
}
