package dev.zgres.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A Dockerfile as its stages and instructions (continuation lines joined, comments dropped). */
record Dockerfile(List<Dockerfile.Stage> stages) {

  record Instruction(String keyword, String arguments) {
    /** The arguments of an exec-form instruction ({@code ["a", "b"]}), or empty for shell form. */
    Optional<List<String>> execForm() {
      String trimmed = arguments.trim();
      if (!trimmed.startsWith("[")) {
        return Optional.empty();
      }
      try {
        return Optional.of(Arrays.asList(new ObjectMapper().readValue(trimmed, String[].class)));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  record Stage(String from, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }
  }

  static Dockerfile load(Path file) throws IOException {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        current.append(trimmed);
        logical.add(current.toString().strip());
        current.setLength(0);
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (String line : logical) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      Instruction instruction =
          new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        String[] from = instruction.arguments().split("\\s+");
        String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
        stages.add(new Stage(from[0], name, new ArrayList<>()));
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).instructions().add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }
}
