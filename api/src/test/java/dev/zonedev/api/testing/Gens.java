package dev.zonedev.api.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators for the properties of this project. Ranges lean to their bounds
 * (QuickTheories tries the boundaries first); strings and lists include the empty and the shortest
 * ones; {@link #of} pins the edge values a parser must get right.
 */
public final class Gens {
    private Gens() {}

    public static Gen<Integer> ints(int min, int max) {
        return Generate.range(min, max);
    }

    public static Gen<Integer> anyInt() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE)
                .mix(of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE), 10);
    }

    public static Gen<Long> longs(long min, long max) {
        return Generate.longRange(min, max);
    }

    public static Gen<Long> anyLong() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE)
                .mix(of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE), 10);
    }

    public static Gen<Short> anyShort() {
        return ints(Short.MIN_VALUE, Short.MAX_VALUE).map(Integer::shortValue);
    }

    public static Gen<Boolean> booleans() {
        return Generate.booleans();
    }

    public static <E extends Enum<E>> Gen<E> enums(Class<E> type) {
        return Generate.enumValues(type);
    }

    /** One of the values, each as likely (null allowed). */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    public static <T> Gen<T> of(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        return in -> copy.get(Generate.range(0, copy.size() - 1).generate(in));
    }

    public static <T> Gen<T> just(T value) {
        return in -> value;
    }

    /** One of the generators, each as likely. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> all = List.of(gens);
        return in -> all.get(Generate.range(0, all.size() - 1).generate(in)).generate(in);
    }

    /** Weighted choice: {@code weighted(9, a, 1, b)} picks a nine times in ten. */
    @SuppressWarnings("unchecked")
    public static <T> Gen<T> weighted(Object... weightsAndGens) {
        List<Pair<Integer, Gen<T>>> pairs = new ArrayList<>();
        for (int i = 0; i < weightsAndGens.length; i += 2) {
            Object g = weightsAndGens[i + 1];
            pairs.add(
                    Pair.of(
                            (Integer) weightsAndGens[i],
                            g instanceof Gen<?> gen ? (Gen<T>) gen : just((T) g)));
        }
        return Generate.frequency(pairs);
    }

    /** Any BMP character but surrogates, often ASCII, sometimes a control or a space. */
    public static Gen<Character> chars() {
        Gen<Character> ascii = Generate.characters(0x20, 0x7e);
        Gen<Character> control = Generate.characters(0, 0x1f);
        Gen<Character> bmp =
                Generate.characters(0x80, 0xd7ff).mix(Generate.characters(0xe000, 0xffff), 20);
        return weighted(
                5, ascii, 1, control, 3, bmp, 1, of(' ', '\t', '\u0000', '\uffff', '\u00a0'));
    }

    public static Gen<Character> chars(String alphabet) {
        return of(alphabet.chars().mapToObj(c -> (char) c).toList());
    }

    public static Gen<String> strings(int min, int max) {
        return strings(chars(), min, max);
    }

    public static Gen<String> strings(String alphabet, int min, int max) {
        return strings(chars(alphabet), min, max);
    }

    public static Gen<String> numericStrings(int min, int max) {
        return strings("0123456789", min, max);
    }

    public static Gen<String> strings(Gen<Character> chars, int min, int max) {
        Gen<Integer> length = ints(min, max);
        return in -> {
            int n = length.generate(in);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(chars.generate(in).charValue());
            }
            return b.toString();
        };
    }

    public static <T> Gen<List<T>> lists(Gen<T> element, int min, int max) {
        Gen<Integer> size = ints(min, max);
        return in -> {
            int n = size.generate(in);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.generate(in));
            }
            return out;
        };
    }

    public static Gen<byte[]> bytes(int min, int max) {
        return Generate.byteArrays(
                ints(min, max), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    public static Gen<int[]> intArrays(Gen<Integer> element, int min, int max) {
        return Generate.intArrays(ints(min, max), element);
    }

    /** Empty {@code percentEmpty} percent of the time. */
    public static <T> Gen<Optional<T>> optional(Gen<T> gen, int percentEmpty) {
        return weighted(
                percentEmpty, just(Optional.<T>empty()), 100 - percentEmpty, gen.map(Optional::of));
    }

    /** Keeps generating until the value passes (for filters that pass most values). */
    public static <T> Gen<T> filter(Gen<T> gen, java.util.function.Predicate<T> keep) {
        return in -> {
            for (int i = 0; i < 1000; i++) {
                T t = gen.generate(in);
                if (keep.test(t)) {
                    return t;
                }
            }
            throw new IllegalStateException("filter passed nothing in 1000 tries");
        };
    }
}
