package dev.zonedev.it;

import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.strategy.PadataStrategy;
import dev.zonedev.strategy.SeedPadataStrategy;
import dev.zonedev.strategy.SeedStrategy;
import dev.zonedev.strategy.UpstreamStrategy;
import dev.zonedev.tck.StrategyConformanceKit;
import org.junit.jupiter.api.Nested;

/** The strategy kit run against the four shipped strategies. */
class ShippedStrategiesConformanceTest {
    @Nested
    class Seed extends StrategyConformanceKit {
        @Override
        protected MemmapStrategy strategy() {
            return new SeedStrategy();
        }
    }

    @Nested
    class Upstream extends StrategyConformanceKit {
        @Override
        protected MemmapStrategy strategy() {
            return new UpstreamStrategy();
        }
    }

    @Nested
    class Padata extends StrategyConformanceKit {
        @Override
        protected MemmapStrategy strategy() {
            return new PadataStrategy();
        }
    }

    @Nested
    class SeedPadata extends StrategyConformanceKit {
        @Override
        protected MemmapStrategy strategy() {
            return new SeedPadataStrategy();
        }
    }
}
