import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// A file sent with a dossier or an action: new content in base64, or a file from the applicant's
/// e-data store ("only once": a paper handed in before is not uploaded again).
struct AttachmentInput: Content, Sendable {
    var componentId: String?
    var fileName: String?
    var contentType: String?
    var contentBase64: String?
    var storedFileId: UUID?
}

/// One attachment, whatever way it came (JSON with base64, a web form's upload, the e-data store).
struct IncomingFile: Sendable {
    enum Content: Sendable {
        case bytes(Data)
        /// A web form's upload, already on disk (UploadSpool).
        case spooled(SpooledFile)
        case stored(UUID)
        /// The request named content that could not be read (bad base64).
        case unreadable

        /// Size and first bytes of new content (bytes or spooled), for the checks.
        var sizeAndHead: (Int, Data) {
            switch self {
            case .bytes(let data): (data.count, data.prefix(16))
            case .spooled(let file): (file.size, file.head)
            case .stored, .unreadable: (0, Data())
            }
        }

        /// New content into the file store; whether this call created it.
        func store(in files: FileStore) throws -> (sha256: String, created: Bool) {
            switch self {
            case .bytes(let data): try files.write(data)
            case .spooled(let file): try files.adopt(file)
            case .stored, .unreadable: throw EGovError.badRequest(LocalizedText(vi: "Không có nội dung tệp.", en: "No file content."))
            }
        }
    }

    var componentID: String?
    var fileName: String
    var contentType: String?
    var content: Content
}

extension AttachmentInput {
    var incoming: IncomingFile {
        let content: IncomingFile.Content
        if let stored = storedFileId {
            content = .stored(stored)
        } else if let base64 = contentBase64, let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) {
            content = .bytes(data)
        } else {
            content = .unreadable
        }
        return IncomingFile(componentID: componentId, fileName: fileName ?? "", contentType: contentType, content: content)
    }
}

/// Checks, stores and records the files of dossiers.
enum DossierFiles {
    /// Checks every attachment against the procedure (component, file type, size) and writes the
    /// accepted content to the file store. Every problem is reported at once, and nothing reaches the
    /// database here: a refused request leaves no trace but content-addressed bytes.
    static func prepare(_ inputs: [IncomingFile], procedure: Procedure, owner: UserID?, services: PlatformServices,
                        on db: any Database) async throws -> [StoredUpload] {
        var errors: [ValidationError] = []
        var uploads: [StoredUpload] = []
        let limit = services.configuration.maxUploadBytes
        for (index, input) in inputs.enumerated() {
            let field = "attachments[\(index)]"
            let component = input.componentID.flatMap { id in procedure.components.first { $0.id == id } }
            if let id = input.componentID, component == nil {
                errors.append(ValidationError(field: field, vi: "Thủ tục không có thành phần hồ sơ “\(id)”.",
                                              en: "The procedure has no dossier component “\(id)”."))
                continue
            }
            let name = input.fileName.trimmingCharacters(in: .whitespacesAndNewlines)
            switch input.content {
            case .stored(let stored):
                guard let owner, let file = try await PersonalDataStore.file(stored, owner: owner, on: db) else {
                    errors.append(ValidationError(field: field, vi: "Không tìm thấy tệp này trong kho dữ liệu của bạn.",
                                                  en: "This file is not in your e-data store."))
                    continue
                }
                if let problem = typeProblem(name: file.name, data: nil, component: component) {
                    errors.append(ValidationError(field: field, message: problem))
                    continue
                }
                uploads.append(StoredUpload(componentID: component?.id, name: file.name, contentType: file.contentType, size: file.size,
                                            sha256: file.sha256))
            case .unreadable:
                errors.append(ValidationError(field: field, vi: "Nội dung tệp “\(name)” không đọc được (cần mã hóa base64).",
                                              en: "The content of “\(name)” is unreadable (base64 expected)."))
            case .bytes, .spooled:
                guard FileTypes.isValidName(name) else {
                    errors.append(ValidationError(field: field, vi: "Tệp đính kèm thứ \(index + 1) thiếu tên tệp hợp lệ.",
                                                  en: "Attachment \(index + 1) has no valid file name."))
                    continue
                }
                let (size, head) = input.content.sizeAndHead
                if let problem = check(name: name, size: size, head: head, component: component, limit: limit) {
                    errors.append(ValidationError(field: field, message: problem))
                    continue
                }
                let (sha, created) = try input.content.store(in: services.files)
                uploads.append(StoredUpload(componentID: component?.id, name: name, contentType: contentType(name: name, declared: input.contentType),
                                            size: size, sha256: sha, created: created))
            }
        }
        guard errors.isEmpty else {
            // A refused request leaves nothing behind, not even the bytes it brought.
            await services.files.discard(uploads.filter(\.created).map(\.sha256), on: db)
            throw EGovError.validation(errors)
        }
        return uploads
    }

    /// Problems with one file: empty, too large, or not of a type the component accepts.
    static func check(name: String, size: Int, head: Data, component: DossierComponent?, limit: Int) -> LocalizedText? {
        if size == 0 {
            return LocalizedText(vi: "Tệp “\(name)” rỗng.", en: "The file “\(name)” is empty.")
        }
        if size > limit {
            let megabytes = limit / (1024 * 1024)
            return LocalizedText(vi: "Tệp “\(name)” vượt quá dung lượng cho phép (\(megabytes) MB).",
                                 en: "The file “\(name)” is larger than allowed (\(megabytes) MB).")
        }
        return typeProblem(name: name, data: head, component: component)
    }

    static func typeProblem(name: String, data: Data?, component: DossierComponent?) -> LocalizedText? {
        let allowed = component?.fileTypes.isEmpty == false ? component?.fileTypes ?? [] : defaultTypes
        let ext = FileTypes.fileExtension(name)
        guard allowed.contains(ext) else {
            let list = allowed.joined(separator: ", ")
            return LocalizedText(vi: "Tệp “\(name)” không đúng định dạng: chỉ nhận \(list).",
                                 en: "The file “\(name)” is not of an accepted type: \(list) only.")
        }
        if let data, !FileTypes.matches(ext: ext, data: data) {
            return LocalizedText(vi: "Nội dung tệp “\(name)” không phải định dạng \(ext).", en: "The content of “\(name)” is not a \(ext) file.")
        }
        return nil
    }

    /// Accepted when a component names no types of its own.
    static let defaultTypes = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt"]

    /// The type a file is served with: from its (checked) extension, else what the sender declared.
    static func contentType(name: String, declared: String?) -> String {
        FileTypes.contentType(ext: FileTypes.fileExtension(name)) ?? declared ?? "application/octet-stream"
    }

    /// Records what an action brought: its results when the action produces a result, attachments otherwise.
    @discardableResult
    static func attach(_ uploads: [StoredUpload], for action: ProcessDefinition.Action? = nil, to dossier: DossierModel, seq: Int,
                       at date: Date, on tx: any Database) async throws -> [DossierFileModel] {
        let kind = kind(for: action)
        var written: [DossierFileModel] = []
        for upload in uploads { written.append(try await attach(upload, kind: kind, to: dossier, seq: seq, at: date, on: tx)) }
        return written
    }

    static func kind(for action: ProcessDefinition.Action?) -> DossierFileModel.Kind {
        action?.produces.contains("result") == true ? .result : .attachment
    }

    /// Records an upload on a dossier (in the action's transaction) and keeps it in the applicant's e-data store.
    @discardableResult
    static func attach(_ upload: StoredUpload, kind: DossierFileModel.Kind, to dossier: DossierModel, seq: Int, at date: Date,
                       on tx: any Database) async throws -> DossierFileModel {
        // The dossier's file row and the stored copy in one statement on PostgreSQL (`WriteBatch`).
        var batch = WriteBatch()
        let recorded = try await record(upload, kind: kind, to: dossier, seq: seq, at: date, adding: &batch, on: tx)
        try await keep(recorded, of: dossier, at: date, adding: &batch, on: tx)
        try await batch.run(on: tx)
        return recorded.model
    }

    /// An upload recorded on a dossier, not yet kept under the dossier's code (`keep`).
    struct Recorded: Sendable {
        let upload: StoredUpload
        let kind: DossierFileModel.Kind
        let stored: StoredFileModel
        let model: DossierFileModel
    }

    /// The first half of `attach`: the rows that need only the dossier's id. The stored file is read (or written) at
    /// once, the dossier's file row is added to `batch`. A submission writes them before it numbers the dossier and keeps
    /// them after (`DossierSubmission`).
    static func record(_ upload: StoredUpload, kind: DossierFileModel.Kind, to dossier: DossierModel, seq: Int, at date: Date,
                       adding batch: inout WriteBatch, on tx: any Database) async throws -> Recorded {
        let stored = try await FileStore.record(sha256: upload.sha256, size: upload.size, name: upload.name,
                                                contentType: upload.contentType, on: tx)
        let model = DossierFileModel()
        model.id = UUID()
        model.dossierID = try dossier.requireID()
        model.componentID = upload.componentID
        model.kind = kind.rawValue
        model.name = upload.name
        model.contentType = upload.contentType
        model.size = upload.size
        model.sha256 = upload.sha256
        model.eventSeq = seq
        model.createdAt = date
        try ModelWrite.create(model, in: &batch)
        return Recorded(upload: upload, kind: kind, stored: stored, model: model)
    }

    /// The second half of `attach`: what names the dossier by its code. A verification code is written at once, the
    /// applicant's stored copy is added to `batch`.
    static func keep(_ recorded: Recorded, of dossier: DossierModel, at date: Date, adding batch: inout WriteBatch,
                     on tx: any Database) async throws {
        let upload = recorded.upload
        if let code = upload.verificationCode {
            try await VerificationCodes.record(code, sha256: upload.sha256, name: upload.name, target: "dossier:\(dossier.code)", at: date, on: tx)
        }
        if let owner = dossier.applicantID {
            PersonalDataStore.keep(owner: UserID(owner), file: recorded.stored, kind: recorded.kind == .result ? .result : .submitted,
                                   label: recorded.kind == .result ? dossier.procedureName : upload.name,
                                   source: "dossier:\(dossier.code)", componentID: upload.componentID, at: date, in: &batch)
        }
    }
}
