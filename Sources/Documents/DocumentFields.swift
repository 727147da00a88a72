import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// The checks of a document's own fields, wherever a person types them (a draft, a paper document registered by
/// hand, a list's filters): one home for each rule and its message.
enum DocumentFields {
    static func invalid(_ field: String, _ vi: String, _ en: String) -> EGovError {
        .validation([ValidationError(field: field, vi: vi, en: en)])
    }

    /// The abstract (trích yếu), trimmed: 1 to `DraftInput.maxSubject` characters.
    static func subject(_ raw: String, field: String = "subject") throws -> String {
        let subject = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty, subject.count <= DraftInput.maxSubject else {
            throw invalid(field, "Trích yếu không được để trống và dài tối đa \(DraftInput.maxSubject) ký tự.",
                          "The subject must be 1 to \(DraftInput.maxSubject) characters.")
        }
        return subject
    }

    /// The content (nội dung): at most `DraftInput.maxBody` characters.
    static func body(_ raw: String?, field: String = "body") throws -> String? {
        guard (raw?.count ?? 0) <= DraftInput.maxBody else {
            throw invalid(field, "Nội dung dài tối đa \(DraftInput.maxBody) ký tự.", "The body is at most \(DraftInput.maxBody) characters.")
        }
        return raw
    }

    static func urgency(_ raw: String?) throws -> DocumentUrgency {
        guard let urgency = DocumentUrgency(rawValue: raw ?? DocumentUrgency.normal.rawValue) else {
            throw invalid("urgency", "Độ khẩn là normal, khan, thuong-khan hoặc hoa-toc.", "Urgency is normal, khan, thuong-khan or hoa-toc.")
        }
        return urgency
    }

    static func confidentiality(_ raw: String?) throws -> DocumentConfidentiality {
        guard let confidentiality = DocumentConfidentiality(rawValue: raw ?? DocumentConfidentiality.none.rawValue) else {
            throw invalid("confidentiality", "Độ mật là none, mat, toi-mat hoặc tuyet-mat.", "Confidentiality is none, mat, toi-mat or tuyet-mat.")
        }
        return confidentiality
    }

    /// A type of the locality's list (`GET /api/v1/document-types`).
    static func type(_ id: String, on db: any Database) async throws {
        guard id.count <= 40, try await DocumentTypeModel.find(id, on: db) != nil else {
            throw invalid("type", "Loại văn bản không có trong danh mục (GET /api/v1/document-types).",
                          "Unknown document type (see GET /api/v1/document-types).")
        }
    }

    /// A day `yyyy-MM-dd` from 2000 to 2100.
    static func day(_ raw: String, field: String) throws -> CivilDate {
        guard let day = CivilDate(iso: raw), (2000...2100).contains(day.year) else {
            throw invalid(field, "Ngày “\(raw.prefix(20))” không hợp lệ (dạng 2026-10-05).", "Date “\(raw.prefix(20))” is invalid (like 2026-10-05).")
        }
        return day
    }
}
