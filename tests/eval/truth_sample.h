#pragma once
// A truth file in the format of docs/truth-format.md: one ambulatoire page and one distractor.

namespace carescan::testing {

inline constexpr const char* kTruthJson = R"({
  "schema": "carescan.truth/v1",
  "file": "0007-ambulatoire-scan.tiff",
  "generator": {"seed": 1, "index": 7},
  "pages": [
    {
      "page": 1, "care_sheet": true, "form_type": "ambulatoire", "distractor": null,
      "capture": {"profile": "scan", "dpi": 300, "skew_deg": 1.7, "upside_down": false,
                  "format": "tiff"},
      "fields": {
        "sheet_number": "A 1234567", "insured_name": "EL AMRANI YOUSSEF", "cin": "BE123456",
        "birth_date": "2003-04-12", "sex": "M", "institution": "FACULTE DES SCIENCES RABAT",
        "signature_place": "RABAT", "signature_date": "2025-03-14", "insured_signature": true,
        "total_amount": "420.50", "medical_total": "150.00", "pharmacy_total": "270.50",
        "dental_total": null, "doctor_inpe": "123456789", "teeth": []
      },
      "lines": [
        {"table": "medical_acts", "row": 0, "date": "2025-03-12", "description": "Consultation",
         "code": "Cs", "coefficient": "1", "quantity": null, "tooth": null, "amount": "150.00"},
        {"table": "pharmacy_items", "row": 0, "date": "2025-03-13", "description": "Doliprane",
         "code": null, "coefficient": null, "quantity": "2", "tooth": null, "amount": "270.50"}
      ],
      "defects": []
    },
    {
      "page": 2, "care_sheet": false, "form_type": null, "distractor": "letter",
      "capture": {"profile": "fax", "dpi": 200, "skew_deg": 0, "upside_down": false,
                  "format": "tiff"},
      "fields": {}, "lines": []
    }
  ]
})";

}  // namespace carescan::testing
