import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import Vapor

/// A document's files: checked and stored when a draft brings them, signed when an action of its process signs
/// (`sign:` in `processes.yaml`, through the platform's `ResultSigning`), recorded in the action's transaction.
enum DocumentFiles {
    static let maxFiles = 10
    static let acceptedTypes = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "png", "jpg", "jpeg"]

    /// An attachment as the API sends it: base64 inside the JSON.
    struct Incoming: Sendable {
        let fileName: String
        let contentType: String?
        let contentBase64: String
    }

    /// A file in the file store, waiting to be recorded on the document.
    struct Stored: Sendable {
        let name: String
        let contentType: String
        let size: Int
        let sha256: String
        /// Whether this request put the content into the store (and takes it back when refused).
        let created: Bool
        var verificationCode: String?
        /// A signed file (a copy delivered to a recipient keeps the flag; its code stays with the original).
        var signed = false
    }

    static func invalid(_ field: String, _ text: LocalizedText) -> ValidationError {
        ValidationError(field: field, vi: text.vi, en: text.en)
    }

    /// Checks every attachment (name, type by extension and by its first bytes, size at most `limit`) and, when all
    /// are acceptable, stores them; otherwise nothing is stored and each problem is named.
    static func store(_ incoming: [Incoming], limit: Int, files: FileStore) throws -> [Stored] {
        guard incoming.count <= maxFiles else {
            throw EGovError.validation([invalid("attachments", LocalizedText(vi: "Tối đa \(maxFiles) tệp đính kèm.", en: "At most \(maxFiles) attachments."))])
        }
        var problems: [ValidationError] = []
        var decoded: [(name: String, data: Data)] = []
        for (index, file) in incoming.enumerated() {
            let field = "attachments[\(index)]"
            guard FileTypes.isValidName(file.fileName) else {
                problems.append(invalid(field, LocalizedText(vi: "Tên tệp không hợp lệ.", en: "Invalid file name.")))
                continue
            }
            // Base64 is 4/3 of the bytes: a text longer than that of the limit is refused before it is decoded.
            guard file.contentBase64.utf8.count <= (limit / 3 + 1) * 4, let data = Data(base64Encoded: file.contentBase64), !data.isEmpty,
                  data.count <= limit else {
                problems.append(invalid(field, LocalizedText(vi: "Tệp “\(file.fileName)” rỗng, hỏng (base64) hoặc lớn hơn \(limit / 1_048_576) MB.",
                                                             en: "“\(file.fileName)” is empty, not base64 or larger than \(limit / 1_048_576) MB.")))
                continue
            }
            if let problem = typeProblem(name: file.fileName, data: data) {
                problems.append(invalid(field, problem))
                continue
            }
            decoded.append((file.fileName, data))
        }
        guard problems.isEmpty else { throw EGovError.validation(problems) }
        return try write(decoded, files: files)
    }

    /// Why a file is not of an accepted type, by its extension and its first bytes; nil when it is. The one check of
    /// a document's files, typed in or arriving in an edXML message.
    static func typeProblem(name: String, data: Data) -> LocalizedText? {
        let ext = FileTypes.fileExtension(name)
        guard acceptedTypes.contains(ext), FileTypes.matches(ext: ext, data: data) else {
            return LocalizedText(vi: "Tệp “\(name.prefix(100))” không đúng định dạng: chỉ nhận \(acceptedTypes.joined(separator: ", ")).",
                                 en: "“\(name.prefix(100))” is not of an accepted type: \(acceptedTypes.joined(separator: ", ")) only.")
        }
        return nil
    }

    /// Writes checked files into the store, typed by their extension; when one cannot be written, those this call
    /// added are taken back.
    static func write(_ decoded: [(name: String, data: Data)], files: FileStore) throws -> [Stored] {
        var stored: [Stored] = []
        do {
            for (name, data) in decoded {
                let (sha256, created) = try files.write(data)
                stored.append(Stored(name: name, contentType: FileTypes.contentType(ext: FileTypes.fileExtension(name)) ?? "application/octet-stream",
                                     size: data.count, sha256: sha256, created: created))
            }
        } catch {
            for file in stored where file.created { try? FileManager.default.removeItem(at: files.path(for: file.sha256)) }
            throw error
        }
        return stored
    }

    /// The document's current files.
    static func current(of document: DocumentModel, on db: any Database) async throws -> [DocumentFileModel] {
        try await DocumentFileModel.query(on: db).filter(\.$documentID == document.requireID()).filter(\.$current == true)
            .sort(\.$createdAt).sort(\.$name).all()
    }

    /// The current PDFs of `document`: what an action that signs signs.
    static func currentPDFs(of document: DocumentModel, on db: any Database) async throws -> [DocumentFileModel] {
        try await current(of: document, on: db).filter { $0.contentType == "application/pdf" }
    }

    /// Each current PDF of `document` signed by `signing` (the officer, then the seal, as the action says); the
    /// signed versions, to record with `record(_:replacing:…)`. Refused when the document has no PDF to sign.
    static func sign(_ document: DocumentModel, with signing: ResultSigning, action: ProcessDefinition.Action,
                     services: PlatformServices, on db: any Database) async throws -> (signed: [Stored], replacing: [DocumentFileModel]) {
        let pdfs = try await currentPDFs(of: document, on: db)
        guard !pdfs.isEmpty else {
            throw EGovError.validation([invalid("attachments", LocalizedText(
                vi: "Thao tác này ký số văn bản nhưng văn bản chưa có tệp PDF: đính kèm tệp PDF của văn bản khi soạn thảo.",
                en: "This action signs the document, which has no PDF: attach the document's PDF when drafting."))])
        }
        var signed: [Stored] = []
        do {
            for file in pdfs {
                let result = try await signing.sign(Array(try services.files.read(sha256: file.sha256)), actionName: action.name,
                                                    caseCode: document.notation ?? String(document.subject.prefix(80)),
                                                    caseTarget: "document:\(document.caseCode)", notation: document.notation, on: db)
                let (sha256, created) = try services.files.write(Data(result.bytes))
                signed.append(Stored(name: file.name, contentType: "application/pdf", size: result.bytes.count, sha256: sha256, created: created,
                                     verificationCode: result.verificationCode))
            }
        } catch {
            await services.files.discard(signed.filter(\.created).map(\.sha256), on: db)
            throw error
        }
        return (signed, pdfs)
    }

    /// Records `files` on `document` under the history event `seq` (in the action's transaction); the versions they
    /// replace stay, no longer current.
    static func record(_ files: [Stored], replacing old: [DocumentFileModel] = [], on document: DocumentModel, seq: Int, at date: Date,
                       on tx: any Database) async throws {
        for file in old {
            file.current = false
            try await file.save(on: tx)
        }
        let target = "document:\(document.caseCode)"
        for file in files {
            _ = try await FileStore.record(sha256: file.sha256, size: file.size, name: file.name, contentType: file.contentType, on: tx)
            try await DocumentFileModel(documentID: try document.requireID(), seq: seq, file: file, at: date).create(on: tx)
            if let code = file.verificationCode {
                try await VerificationCodes.record(code, sha256: file.sha256, name: file.name, target: target, at: date, on: tx)
            }
        }
    }

    /// The file `id` (a UUID in the path) of `document`, downloaded; 404 when the document has no such file.
    static func download(_ id: String?, of document: DocumentModel, _ req: Request) async throws -> Response {
        guard let id = id.flatMap(UUID.init(uuidString:)),
              let file = try await DocumentFileModel.query(on: req.db).filter(\.$id == id).filter(\.$documentID == document.requireID()).first()
        else { throw EGovError.notFound(LocalizedText(vi: "Văn bản không có tệp này.", en: "No such file in this document.")) }
        return FileDownload.response(.init(data: try req.egov.files.read(sha256: file.sha256)), name: file.name, contentType: file.contentType)
    }
}
