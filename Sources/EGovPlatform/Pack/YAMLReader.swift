import EGovCore
import Foundation
import Yams

/// Reads one YAML file of a pack into nodes that remember their line, and refuses unknown keys.
public struct YAMLFile {
    public let name: String
    public let root: Node?

    public init(directory: URL, name: String, required: Bool) throws(PackError) {
        self.name = name
        let url = directory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            if required || FileManager.default.fileExists(atPath: url.path) {
                throw PackError(SourceLocation(file: name, line: 0),
                                vi: "Không đọc được tệp \(name) (thiếu tệp hoặc không phải UTF-8).",
                                en: "Cannot read \(name) (missing, or not UTF-8).")
            }
            root = nil
            return
        }
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: name)
        } catch {
            throw PackError(SourceLocation(file: name, line: 0), vi: "Lỗi cú pháp YAML.", en: "YAML syntax error.")
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> PackError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return PackError(SourceLocation(file: file, line: mark.line),
                             vi: "Lỗi cú pháp YAML: \(problem).", en: "YAML syntax error: \(problem).")
        default:
            return PackError(SourceLocation(file: file, line: 0),
                             vi: "Lỗi cú pháp YAML: \(error).", en: "YAML syntax error: \(error).")
        }
    }

    public func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: name, line: node?.mark?.line ?? 0)
    }

    public func mapping(_ node: Node?, what: String) throws(PackError) -> YAMLMapping {
        guard let node, let mapping = node.mapping else {
            throw PackError(location(node), vi: "“\(what)” phải là một bảng khóa–giá trị.", en: "“\(what)” must be a mapping.")
        }
        return YAMLMapping(file: self, node: node, mapping: mapping, what: what)
    }

    public func sequence(_ node: Node?, what: String) throws(PackError) -> [Node] {
        guard let node else { return [] }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" { return [] }
        guard let sequence = node.sequence else {
            throw PackError(location(node), vi: "“\(what)” phải là một danh sách.", en: "“\(what)” must be a list.")
        }
        return Array(sequence)
    }
}

/// A mapping whose keys are read one by one; `finish()` refuses any key nobody asked for.
public struct YAMLMapping {
    let file: YAMLFile
    let node: Node
    public let mapping: Node.Mapping
    let what: String
    private var used: Set<String> = []

    init(file: YAMLFile, node: Node, mapping: Node.Mapping, what: String) {
        self.file = file
        self.node = node
        self.mapping = mapping
        self.what = what
    }

    public var location: SourceLocation { file.location(node) }

    public mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return mapping[Node(key)]
    }

    public mutating func optionalString(_ key: String) throws(PackError) -> String? {
        guard let value = node(key) else { return nil }
        guard let scalar = value.scalar else {
            throw PackError(file.location(value), vi: "“\(key)” phải là một giá trị đơn.", en: "“\(key)” must be a scalar.")
        }
        let text = scalar.string.precomposedStringWithCanonicalMapping
        return text.isEmpty ? nil : text
    }

    public mutating func string(_ key: String) throws(PackError) -> String {
        guard let text = try optionalString(key) else {
            throw PackError(location, vi: "Thiếu “\(key)” trong \(what).", en: "“\(key)” is missing in \(what).")
        }
        return text
    }

    public mutating func optionalInt(_ key: String) throws(PackError) -> Int? {
        guard let text = try optionalString(key) else { return nil }
        guard let number = Int(text) else {
            throw PackError(file.location(node(key)), vi: "“\(key)” phải là một số nguyên.", en: "“\(key)” must be an integer.")
        }
        return number
    }

    public mutating func optionalBool(_ key: String) throws(PackError) -> Bool? {
        guard let text = try optionalString(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            throw PackError(file.location(node(key)), vi: "“\(key)” phải là true hoặc false.", en: "“\(key)” must be true or false.")
        }
    }

    public mutating func optionalDouble(_ key: String) throws(PackError) -> Double? {
        guard let text = try optionalString(key) else { return nil }
        guard let number = Double(text) else {
            throw PackError(file.location(node(key)), vi: "“\(key)” phải là một số.", en: "“\(key)” must be a number.")
        }
        return number
    }

    /// A list of scalars (`[a, b]`), empty when absent.
    public mutating func strings(_ key: String) throws(PackError) -> [String] {
        var values: [String] = []
        for item in try file.sequence(node(key), what: key) {
            guard let scalar = item.scalar else {
                throw PackError(file.location(item), vi: "“\(key)” phải là danh sách giá trị đơn.", en: "“\(key)” must be a list of scalars.")
            }
            values.append(scalar.string.precomposedStringWithCanonicalMapping)
        }
        return values
    }

    public func finish() throws(PackError) {
        for (key, value) in mapping {
            let name = key.string ?? ""
            if !used.contains(name) {
                throw PackError(file.location(key.mark == nil ? value : key),
                                vi: "Khóa “\(name)” không được hỗ trợ trong \(what).",
                                en: "Key “\(name)” is not allowed in \(what).")
            }
        }
    }
}
