package dev.zonedev.it;

import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.driver.devdax.DevDaxDriver;
import dev.zonedev.driver.pmem.PmemDriver;
import dev.zonedev.it.thirdparty.ScratchDriver;
import dev.zonedev.tck.DriverConformanceKit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver kit run against both shipped drivers and the third-party example driver, once per
 * shipped memmap strategy.
 */
class DriversConformanceTest {
    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class PmemFsdaxMapMem extends DriverConformanceKit {
        @Parameter String strategy;

        @Override
        protected String strategy() {
            return strategy;
        }

        @Override
        protected NamespaceDriver driver() {
            return new PmemDriver();
        }

        @Override
        protected NamespaceSpec spec(String name, long size) {
            return NamespaceSpec.of(name, size, NamespaceMode.FSDAX).withOption("map", "mem");
        }
    }

    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class PmemFsdaxMapDev extends DriverConformanceKit {
        @Parameter String strategy;

        @Override
        protected String strategy() {
            return strategy;
        }

        @Override
        protected NamespaceDriver driver() {
            return new PmemDriver();
        }

        @Override
        protected NamespaceSpec spec(String name, long size) {
            return NamespaceSpec.of(name, size, NamespaceMode.FSDAX).withOption("map", "dev");
        }
    }

    /** Compound 2 MiB pages (the default alignment) with vmemmap tail reuse. */
    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class DeviceDax extends DriverConformanceKit {
        @Parameter String strategy;

        @Override
        protected String strategy() {
            return strategy;
        }

        @Override
        protected NamespaceDriver driver() {
            return new DevDaxDriver();
        }

        @Override
        protected NamespaceSpec spec(String name, long size) {
            return NamespaceSpec.of(name, size, NamespaceMode.DEVDAX);
        }
    }

    /** Compound 2 MiB pages without tail reuse: the altmap fallback. */
    @Nested
    class DeviceDaxMapDev extends DriverConformanceKit {
        @Override
        protected NamespaceDriver driver() {
            return new DevDaxDriver();
        }

        @Override
        protected NamespaceSpec spec(String name, long size) {
            return NamespaceSpec.of(name, size, NamespaceMode.DEVDAX).withOption("map", "dev");
        }
    }

    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class ThirdPartyScratch extends DriverConformanceKit {
        @Parameter String strategy;

        @Override
        protected String strategy() {
            return strategy;
        }

        @Override
        protected NamespaceDriver driver() {
            return new ScratchDriver();
        }

        @Override
        protected NamespaceSpec spec(String name, long size) {
            return NamespaceSpec.of(name, size, NamespaceMode.FSDAX)
                    .withOption("driver", "scratch");
        }
    }
}
