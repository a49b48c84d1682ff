package dev.zonedev.it;

import dev.zonedev.api.Arch;
import dev.zonedev.arch.generic.GenericArch;
import dev.zonedev.arch.x86_64.X86_64Arch;
import dev.zonedev.tck.ArchConformanceKit;
import org.junit.jupiter.api.Nested;

/** The arch kit run against both shipped arch plugins. */
class ShippedArchesConformanceTest {
    @Nested
    class X86_64 extends ArchConformanceKit {
        @Override
        protected Arch arch() {
            return new X86_64Arch();
        }
    }

    @Nested
    class Generic extends ArchConformanceKit {
        @Override
        protected Arch arch() {
            return new GenericArch();
        }
    }
}
