package dev.zonedev.core;

import dev.zonedev.api.PageFlags;
import dev.zonedev.api.ZoneDeviceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The NUMA nodes an engine places work on, and the CPUs of each: the machine's ({@code
 * /sys/devices/system/node/node*}{@code /cpulist}; one node of every CPU where that is absent), or
 * a simulated topology of N nodes whose CPUs are the machine's dealt out round-robin (a node may
 * then have none). Only a real topology of more than one node is ever bound to ({@link #binds()});
 * on any other the engine records its placement decisions without acting on them. Immutable and
 * thread-safe.
 */
public final class NumaTopology {
    private static final Path SYSFS_NODES = Path.of("/sys/devices/system/node");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");

    private final List<BitSet> cpus;
    private final boolean simulated;

    private NumaTopology(List<BitSet> cpus, boolean simulated) {
        this.cpus = cpus.stream().map(b -> (BitSet) b.clone()).toList();
        this.simulated = simulated;
    }

    /** Words of the CPU masks given to the kernel: room for 1024 CPUs. */
    private static final int MASK_WORDS = 16;

    /** The topology {@code config} asks for ({@link EngineConfig#nodes()}). */
    public static NumaTopology of(EngineConfig config) {
        return of(config.nodes());
    }

    /** The topology {@code nodes} asks for: 0 for the machine's, N for a simulated one of N. */
    static NumaTopology of(int nodes) {
        return nodes == 0 ? detect(SYSFS_NODES) : simulated(nodes);
    }

    /**
     * The machine's nodes as {@code sysfs} lists them under {@code root}; one node holding every
     * CPU when the directory or its cpu lists are missing or unreadable.
     */
    static NumaTopology detect(Path root) {
        List<BitSet> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                Matcher m = NODE_DIR.matcher(d.getFileName().toString());
                Path list = d.resolve("cpulist");
                if (m.matches() && Files.isReadable(list)) {
                    int node = Integer.parseInt(m.group(1));
                    while (found.size() <= node) {
                        found.add(new BitSet());
                    }
                    found.set(node, parseCpuList(Files.readString(list)));
                }
            }
        } catch (IOException | RuntimeException e) {
            found.clear(); // no usable sysfs: one node
        }
        if (found.isEmpty() || found.size() > PageFlags.MAX_NODES) {
            return new NumaTopology(List.of(allCpus()), false);
        }
        return new NumaTopology(found, false);
    }

    /**
     * A simulated topology of {@code nodes} nodes, the machine's CPUs dealt out round-robin.
     *
     * @throws ZoneDeviceException invalid unless 1 to {@link PageFlags#MAX_NODES}
     */
    public static NumaTopology simulated(int nodes) {
        if (nodes < 1 || nodes > PageFlags.MAX_NODES) {
            throw ZoneDeviceException.invalid(
                    "nodes " + nodes + " is out of range; accepted: 1 to " + PageFlags.MAX_NODES);
        }
        List<BitSet> cpus = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            cpus.add(new BitSet());
        }
        BitSet all = allCpus();
        for (int c = all.nextSetBit(0), i = 0; c >= 0; c = all.nextSetBit(c + 1), i++) {
            cpus.get(i % nodes).set(c);
        }
        return new NumaTopology(cpus, true);
    }

    /** Parses a kernel cpu list such as {@code 0-3,8,10-11} (empty for a CPU-less node). */
    static BitSet parseCpuList(String text) {
        BitSet set = new BitSet();
        for (String part : text.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            set.set(from, to + 1);
        }
        return set;
    }

    private static BitSet allCpus() {
        BitSet all = new BitSet();
        all.set(0, Runtime.getRuntime().availableProcessors());
        return all;
    }

    /** Number of nodes, ids 0 to {@code nodes() - 1}. */
    public int nodes() {
        return cpus.size();
    }

    /** The CPUs of {@code node} (a copy). */
    public BitSet cpus(int node) {
        return (BitSet) cpus.get(node).clone();
    }

    /** True for a topology made up with {@code --nodes N} rather than read from the machine. */
    public boolean simulated() {
        return simulated;
    }

    /**
     * True when placement acts: a real topology of more than one node, so threads are bound with
     * {@code sched_setaffinity} and memory with {@code mbind}; otherwise placement is recorded
     * only.
     */
    public boolean binds() {
        return !simulated && cpus.size() > 1;
    }

    /** The node holding {@code cpu}, or -1 when none does. */
    public int nodeOfCpu(int cpu) {
        for (int n = 0; n < cpus.size(); n++) {
            if (cpu >= 0 && cpus.get(n).get(cpu)) {
                return n;
            }
        }
        return -1;
    }

    /**
     * Checks that {@code nid} is a node of this topology.
     *
     * @throws ZoneDeviceException invalid naming {@code what} and the accepted nodes
     */
    public void checkNode(String what, int nid) {
        if (nid < 0 || nid >= nodes()) {
            throw ZoneDeviceException.invalid(
                    what
                            + "node "
                            + nid
                            + " is not in the topology; accepted: 0 to "
                            + (nodes() - 1)
                            + " ("
                            + describe()
                            + ")");
        }
    }

    /** E.g. {@code 2 nodes, simulated} or {@code 1 node, from the machine}. */
    public String describe() {
        return nodes()
                + (nodes() == 1 ? " node" : " nodes")
                + (simulated ? ", simulated" : ", from the machine");
    }

    /**
     * Places the calling thread on {@code node}: when {@link #binds()}, binds it to the node's CPUs
     * ({@code sched_setaffinity}); otherwise, or when the kernel refuses (a cpuset that excludes
     * them), records the decision only. Close the result on the same thread when its work for the
     * node is done.
     *
     * @throws ZoneDeviceException invalid when {@code node} is not in this topology
     */
    public NumaPlacement placeCurrentThread(int node) {
        checkNode("", node);
        if (!binds() || cpus.get(node).isEmpty()) {
            return new NumaPlacement(node, null);
        }
        try {
            long[] previous = Native.schedGetaffinity(MASK_WORDS);
            Native.schedSetaffinity(mask(cpus.get(node)));
            return new NumaPlacement(node, previous);
        } catch (ZoneDeviceException e) {
            return new NumaPlacement(node, null);
        }
    }

    /**
     * Binds the memory of {@code [address, address + length)} (page aligned, not yet touched) to
     * {@code node} with {@code mbind(MPOL_BIND)} when {@link #binds()}; returns whether it did. On
     * any other topology, or when the kernel refuses, the memory stays where the kernel puts it.
     */
    public boolean bindMemory(long address, long length, int node) {
        checkNode("", node);
        if (!binds()) {
            return false;
        }
        BitSet nodes = new BitSet();
        nodes.set(node);
        try {
            Native.mbind(address, length, mask(nodes));
            return true;
        } catch (ZoneDeviceException e) {
            return false;
        }
    }

    /** The node of the CPU the calling thread runs on now ({@code sched_getcpu}), or -1. */
    public int currentNode() {
        return nodeOfCpu(Native.schedGetcpu());
    }

    private static long[] mask(BitSet bits) {
        return java.util.Arrays.copyOf(bits.toLongArray(), MASK_WORDS);
    }
}
