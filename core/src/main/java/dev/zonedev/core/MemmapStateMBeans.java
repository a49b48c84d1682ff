package dev.zonedev.core;

import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a device's {@code memmap_state} with the platform MBean server. Registration replaces a
 * stale bean of the same name; {@link Registration#close()} unregisters.
 */
public final class MemmapStateMBeans {
    private MemmapStateMBeans() {}

    /** A registered bean; closing it unregisters it. */
    public interface Registration extends AutoCloseable {
        ObjectName name();

        @Override
        void close();
    }

    /** The object name used for the device {@code device}. */
    public static ObjectName objectName(String device) {
        try {
            return new ObjectName("dev.zonedev:type=MemmapState,name=" + ObjectName.quote(device));
        } catch (JMException e) {
            throw ZoneDeviceException.invalid(
                    "device name " + device + " cannot name an MBean: " + e.getMessage());
        }
    }

    /** Registers {@code control} as the {@code memmap_state} of {@code device}. */
    public static Registration register(String device, MemmapControl control) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(device);
        MemmapStateMXBean bean =
                new MemmapStateMXBean() {
                    @Override
                    public String getMemmapState() {
                        return control.memmapState().text();
                    }

                    @Override
                    public void sync() {
                        control.sync();
                    }
                };
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name, e);
        }
        return new Registration() {
            @Override
            public ObjectName name() {
                return name;
            }

            @Override
            public void close() {
                try {
                    if (server.isRegistered(name)) {
                        server.unregisterMBean(name);
                    }
                } catch (JMException e) {
                    throw new IllegalStateException("cannot unregister " + name, e);
                }
            }
        };
    }
}
