package dev.zonedev.it;

import dev.zonedev.api.Arch;
import dev.zonedev.arch.generic.GenericArch;
import dev.zonedev.arch.x86_64.X86_64Arch;
import dev.zonedev.tck.ArchConformanceKit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The arch kit run against both shipped arch plugins, once per shipped memmap strategy. */
class ShippedArchesConformanceTest {
    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class X86_64 extends ArchConformanceKit {
        @Parameter String strategy;

        @Override
        protected Arch arch() {
            return new X86_64Arch();
        }

        @Override
        protected String strategy() {
            return strategy;
        }
    }

    @Nested
    @ParameterizedClass(name = "strategy {0}")
    @ValueSource(strings = {"seed", "upstream", "padata", "seed+padata"})
    class Generic extends ArchConformanceKit {
        @Parameter String strategy;

        @Override
        protected Arch arch() {
            return new GenericArch();
        }

        @Override
        protected String strategy() {
            return strategy;
        }
    }
}
