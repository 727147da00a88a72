import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// The module's folder of a locality pack, `modules/documents/`: `types.yaml` (document types and their
/// abbreviations, Decree 30/2020 art. 7 and Appendix III), `issuers.yaml` (how units are written in notations,
/// and which issue in their own name), `processes.yaml` (the document processes) and `templates.yaml` (drafting
/// templates). Each problem is refused
/// with its file and line.
struct DocumentsPack {
    var types: [DocumentTypeModel] = []
    var issuers: [IssuerModel] = []
    var processes: [ProcessDefinition] = []
    var templates: [DocumentTemplateModel] = []

    /// The statuses a document process may use, and the standard action ids (issue 14 §7).
    static let statuses: Set<String> = ["drafting", "reviewing", "approving", "issuing", "issued", "registering", "assigning", "handling", "done",
                                          "refused", "sent-on", "recall-requested", "recalled", "update-requested"]
    static let actionIDs: Set<String> = ["submit", "approve", "return", "issue", "register", "refuse", "assign", "report",
                                           "complete", "forward", "send-on", "recall", "accept-recall", "refuse-recall",
                                           "update", "accept-update", "refuse-update"]
    // "receive" opens an incoming document; it is the runtime's first event, not an action of the process.

    /// Reads the folder; nil when the pack has no documents folder.
    static func read(_ directory: URL) throws(PackError) -> DocumentsPack? {
        guard FileManager.default.fileExists(atPath: directory.path) else { return nil }
        var pack = DocumentsPack()
        let types = try YAMLFile(directory: directory, name: "types.yaml", required: true)
        var top = try types.mapping(types.root, what: "types.yaml")
        for (index, node) in try types.sequence(top.node("types"), what: "types").enumerated() {
            var map = try types.mapping(node, what: "type")
            let id = try map.string("id")
            guard id.range(of: "^[a-z0-9-]{1,40}$", options: .regularExpression) != nil, !pack.types.contains(where: { $0.id == id }) else {
                throw PackError(types.location(node), vi: "Mã loại văn bản “\(id)” không hợp lệ hoặc bị lặp (chữ thường, số, gạch ngang).",
                                en: "Document type id “\(id)” is invalid or used twice (lower-case letters, digits, hyphens).")
            }
            let abbreviation = try map.optionalString("abbreviation")
            pack.types.append(DocumentTypeModel(id: id, name: try map.string("name"), abbreviation: abbreviation?.isEmpty == true ? nil : abbreviation,
                                                edXMLType: try map.optionalInt("edxmlType") ?? 0, sortOrder: index))
            try map.finish()
        }
        try top.finish()

        let issuers = try YAMLFile(directory: directory, name: "issuers.yaml", required: true)
        var issuerTop = try issuers.mapping(issuers.root, what: "issuers.yaml")
        var issuerLocations: [SourceLocation] = []
        for node in try issuers.sequence(issuerTop.node("issuers"), what: "issuers") {
            var map = try issuers.mapping(node, what: "issuer")
            let unit = try map.string("unit")
            guard ElectronicCode.isValid(unit), !pack.issuers.contains(where: { $0.id == unit }) else {
                throw PackError(issuers.location(node), vi: "Mã đơn vị “\(unit)” không hợp lệ hoặc bị lặp.", en: "Unit code “\(unit)” is invalid or used twice.")
            }
            let abbreviation = try map.string("abbreviation")
            guard !abbreviation.isEmpty, abbreviation.count <= 30, !abbreviation.contains("/"), !abbreviation.contains(" ") else {
                throw PackError(issuers.location(node), vi: "Chữ viết tắt “\(abbreviation)” không hợp lệ.", en: "Abbreviation “\(abbreviation)” is invalid.")
            }
            pack.issuers.append(IssuerModel(unitCode: unit, abbreviation: abbreviation, issues: try map.optionalBool("issues") ?? false,
                                            officeAbbreviation: try map.optionalString("office"), defaultHandler: try map.optionalString("handler"),
                                            outgoingProcess: try map.optionalString("process"), leadingZero: try map.optionalBool("leadingZero")))
            issuerLocations.append(issuers.location(node))
            try map.finish()
        }
        try issuerTop.finish()

        let processes = try YAMLFile(directory: directory, name: "processes.yaml", required: false)
        if processes.root != nil {
            pack.processes = try ProcessReader.read(processes, statuses: statuses, actionIDs: actionIDs)
        }
        pack.templates = try readTemplates(directory, types: Set(pack.types.compactMap(\.id)))
        // An issuer's own outgoing process must be one of the pack's.
        for (issuer, location) in zip(pack.issuers, issuerLocations) {
            if let process = issuer.outgoingProcess, !pack.processes.contains(where: { $0.id == process }) {
                throw PackError(location, vi: "Quy trình “\(process)” không có trong processes.yaml.",
                                en: "Process “\(process)” is not in processes.yaml.")
            }
        }
        return pack
    }

    /// `templates.yaml` (optional): each template's id, name, document type (one of `types.yaml`), subject and body.
    static func readTemplates(_ directory: URL, types: Set<String>) throws(PackError) -> [DocumentTemplateModel] {
        let file = try YAMLFile(directory: directory, name: "templates.yaml", required: false)
        guard file.root != nil else { return [] }
        var top = try file.mapping(file.root, what: "templates.yaml")
        var templates: [DocumentTemplateModel] = []
        for (index, node) in try file.sequence(top.node("templates"), what: "templates").enumerated() {
            var map = try file.mapping(node, what: "template")
            let id = try map.string("id")
            guard id.range(of: "^[a-z0-9-]{1,60}$", options: .regularExpression) != nil, !templates.contains(where: { $0.id == id }) else {
                throw PackError(file.location(node), vi: "Mã mẫu văn bản “\(id)” không hợp lệ hoặc bị lặp (chữ thường, số, gạch ngang).",
                                en: "Template id “\(id)” is invalid or used twice (lower-case letters, digits, hyphens).")
            }
            let type = try map.string("type")
            guard types.contains(type) else {
                throw PackError(file.location(node), vi: "Mẫu “\(id)”: loại văn bản “\(type)” không có trong types.yaml.",
                                en: "Template “\(id)”: document type “\(type)” is not in types.yaml.")
            }
            let (name, subject, body) = (try map.string("name"), try map.string("subject"), try map.optionalString("body") ?? "")
            guard !name.isEmpty, name.count <= 200, !subject.isEmpty, subject.count <= DraftInput.maxSubject, body.count <= DraftInput.maxBody else {
                throw PackError(file.location(node), vi: "Mẫu “\(id)”: tên (tối đa 200), trích yếu (tối đa \(DraftInput.maxSubject)) hoặc nội dung quá dài hay bỏ trống.",
                                en: "Template “\(id)”: the name (200 at most), subject (\(DraftInput.maxSubject) at most) or body is empty or too long.")
            }
            templates.append(DocumentTemplateModel(id: id, name: name, typeID: type, subject: subject, body: body, sortOrder: index))
            try map.finish()
        }
        try top.finish()
        return templates
    }

    /// Makes the tables hold exactly this pack's types and issuers, and the process store its processes
    /// (inside the pack import's transaction). A type already used by a document stays.
    func store(on db: any Database) async throws {
        let used = Set(try await DocumentModel.query(on: db).unique().all(\.$typeID))
        try await DocumentTypeModel.query(on: db).delete()
        for type in types { try await type.create(on: db) }
        for id in used.subtracting(types.compactMap(\.id)).sorted() {
            try await DocumentTypeModel(id: id, name: id, abbreviation: nil, edXMLType: 0, sortOrder: types.count).create(on: db)
        }
        try await IssuerModel.query(on: db).delete()
        for issuer in issuers { try await issuer.create(on: db) }
        if !processes.isEmpty { try await ProcessStore.replace(module: DocumentsModule.moduleID, with: processes, on: db) }
        try await DocumentTemplateModel.query(on: db).delete()
        for template in templates { try await template.create(on: db) }
    }
}
