package ${package};

import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.tck.DriverConformanceKit;

/** Runs every check of the zonedev driver kit against {@link ${driverClass}} on the real engine. */
class ${driverClass}ConformanceTest extends DriverConformanceKit {
    @Override
    protected NamespaceDriver driver() {
        return new ${driverClass}();
    }

    @Override
    protected NamespaceSpec spec(String name, long size) {
        return NamespaceSpec.of(name, size, NamespaceMode.FSDAX).withOption("driver", "${driverName}");
    }
}
