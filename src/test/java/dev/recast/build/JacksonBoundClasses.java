package dev.recast.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The classes Jackson reads or writes by reflection, found from the code (native-config/README.md lists the rules):
 * the bodies of JAX-RS resource methods and the classes their OpenAPI annotations name, classes with Jackson
 * annotations, classes named by {@code X.class} or {@code TypeReference<X>} in a Jackson call, and everything their
 * record components, getters and public fields reach. Classes of src/lambda (compiled in the lambda profile only)
 * are found and checked by their source.
 */
record JacksonBoundClasses(Set<Class<?>> loaded, Set<String> lambdaSourceNames) {
    private static final Pattern JACKSON_CALL = Pattern.compile(
            "\\b(?:readValue|treeToValue|convertValue|read)\\([^;]*?,\\s*([A-Z]\\w*)\\.class");
    private static final Pattern TYPE_REFERENCE = Pattern.compile("TypeReference<([\\w<>, .]+)>");
    private static final Pattern SIMPLE_NAME = Pattern.compile("\\b([A-Z]\\w*)\\b");

    static JacksonBoundClasses scan(Path classes, List<Path> sourceRoots) throws IOException {
        Set<Class<?>> roots = new LinkedHashSet<>();
        for (Class<?> type : ourClasses(classes)) {
            if (hasJacksonAnnotation(type)) {
                roots.add(type);
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Stream.of(method.getAnnotations()).anyMatch(JacksonBoundClasses::isHttpMethod)) {
                    collect(method.getGenericReturnType(), roots);
                    for (Parameter parameter : method.getParameters()) {
                        if (isEntity(parameter)) {
                            collect(parameter.getParameterizedType(), roots);
                        }
                    }
                    Stream.of(method.getAnnotations()).forEach(a -> classLiterals(a, roots));
                }
            }
        }
        Set<String> lambdaNames = new TreeSet<>();
        for (String simpleName : namesInJacksonCalls(sourceRoots)) {
            for (Path root : sourceRoots) {
                for (String name : declarations(root, simpleName)) {
                    if (name.startsWith("dev.recast.lambda.")) {
                        lambdaNames.add(name);
                    } else {
                        roots.add(load(name));
                    }
                }
            }
        }
        return new JacksonBoundClasses(reached(roots), lambdaNames);
    }

    /** Whether src/lambda declares this class ({@code a.b.Outer$Inner}: in a/b/Outer.java). */
    static boolean lambdaSourceDeclares(Path root, String name) {
        return declarationLine(root, name) >= 0;
    }

    /** Whether src/lambda declares this class with {@code @RegisterForReflection} just above it. */
    static boolean lambdaSourceAnnotated(Path root, String name) {
        int line = declarationLine(root, name);
        if (line < 0) {
            return false;
        }
        List<String> lines = read(sourceFile(root, name));
        return lines.subList(Math.max(0, line - 3), line).stream().anyMatch(l -> l.contains("@RegisterForReflection"));
    }

    private static Set<Class<?>> reached(Set<Class<?>> roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!ours(type) || !seen.add(type)) {
                continue;
            }
            Set<Class<?>> next = new LinkedHashSet<>();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    collect(component.getGenericType(), next);
                }
            } else if (!type.isEnum()) {
                for (Method method : type.getMethods()) {
                    if (method.getParameterCount() == 0 && method.getName().matches("(get|is)[A-Z].*")
                            && !Modifier.isStatic(method.getModifiers())) {
                        collect(method.getGenericReturnType(), next);
                    }
                }
                Stream.of(type.getFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                        .forEach(f -> collect(f.getGenericType(), next));
            }
            todo.addAll(next);
        }
        return seen;
    }

    private static void collect(Type type, Set<Class<?>> into) {
        switch (type) {
            case Class<?> c when c.isArray() -> collect(c.getComponentType(), into);
            case Class<?> c -> {
                if (ours(c)) {
                    into.add(c);
                }
            }
            case ParameterizedType p -> {
                collect(p.getRawType(), into);
                Stream.of(p.getActualTypeArguments()).forEach(t -> collect(t, into));
            }
            case GenericArrayType a -> collect(a.getGenericComponentType(), into);
            case WildcardType w -> Stream.of(w.getUpperBounds()).forEach(t -> collect(t, into));
            default -> { }
        }
    }

    /** Class literals in an annotation and the annotations inside it: {@code @Schema(implementation = X.class)}. */
    private static void classLiterals(Annotation annotation, Set<Class<?>> into) {
        for (Method attribute : annotation.annotationType().getDeclaredMethods()) {
            Object value;
            try {
                value = attribute.invoke(annotation);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            Object[] values = value instanceof Object[] array ? array : new Object[] {value};
            for (Object v : values) {
                if (v instanceof Class<?> c) {
                    collect(c, into);
                } else if (v instanceof Annotation inner) {
                    classLiterals(inner, into);
                }
            }
        }
    }

    private static boolean isHttpMethod(Annotation annotation) {
        return annotation.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class);
    }

    /** A parameter that is the request body: none of JAX-RS's or RESTEasy's parameter annotations. */
    private static boolean isEntity(Parameter parameter) {
        return Stream.of(parameter.getAnnotations()).map(a -> a.annotationType().getPackageName())
                .noneMatch(p -> p.startsWith("jakarta.ws.rs") || p.startsWith("org.jboss.resteasy"));
    }

    private static boolean hasJacksonAnnotation(Class<?> type) {
        Stream<AnnotatedElement> elements = Stream.of(Stream.<AnnotatedElement>of(type),
                Stream.of(type.getDeclaredFields()), Stream.of(type.getDeclaredMethods()),
                Stream.of(type.getDeclaredConstructors())).flatMap(s -> s);
        return elements.flatMap(e -> Stream.of(e.getAnnotations()))
                .anyMatch(a -> a.annotationType().getPackageName().startsWith("com.fasterxml.jackson"));
    }

    private static Set<String> namesInJacksonCalls(List<Path> sourceRoots) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path root : sourceRoots) {
            for (Path file : javaFiles(root)) {
                String text = Files.readString(file);
                Matcher call = JACKSON_CALL.matcher(text);
                while (call.find()) {
                    names.add(call.group(1));
                }
                Matcher reference = TYPE_REFERENCE.matcher(text);
                while (reference.find()) {
                    Matcher simple = SIMPLE_NAME.matcher(reference.group(1));
                    while (simple.find()) {
                        names.add(simple.group(1));
                    }
                }
            }
        }
        return names;
    }

    /** The binary names of the classes with this simple name declared under a source root. */
    private static List<String> declarations(Path root, String simpleName) throws IOException {
        Pattern declaration = Pattern.compile("\\b(?:record|class|enum) " + simpleName + "\\b");
        return javaFiles(root).stream().filter(f -> declaration.matcher(read(f).toString()).find()).map(f -> {
            String outer = root.relativize(f).toString().replace(".java", "").replace('/', '.');
            return outer.endsWith("." + simpleName) ? outer : outer + "$" + simpleName;
        }).toList();
    }

    private static int declarationLine(Path root, String name) {
        Path file = sourceFile(root, name);
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        String simpleName = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
        Pattern declaration = Pattern.compile("\\b(?:record|class|enum|interface) " + simpleName + "\\b");
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            if (declaration.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    private static Path sourceFile(Path root, String name) {
        String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        return root.resolve(outer.replace('.', '/') + ".java");
    }

    private static List<Class<?>> ourClasses(Path classes) throws IOException {
        try (Stream<Path> files = Files.walk(classes.resolve("dev/recast"))) {
            return files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .map(JacksonBoundClasses::load).filter(c -> !c.isSynthetic() && !c.isAnonymousClass()).toList();
        }
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean ours(Class<?> type) {
        return type.getName().startsWith("dev.recast.") && !type.isPrimitive();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, JacksonBoundClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("compiled but not loadable: " + name, e);
        }
    }
}
