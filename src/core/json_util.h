#pragma once
// Reading Poco JSON with errors that name the file and the key that is wrong.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace carescan::core {

// A configuration or data file that cannot be used as it is.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a whole file; object key order is preserved (tables list their columns in order).
Poco::JSON::Object::Ptr read_json_object(const std::filesystem::path& file);
Poco::JSON::Object::Ptr parse_json_object(const std::string& text, const std::string& what);

// `where` is a human description ("ald.fields.json: field 'cin'") used in the error.
std::string require_string(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                           const std::string& where);
double require_number(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                      const std::string& where);
Poco::JSON::Array::Ptr require_array(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                     const std::string& where);
Poco::JSON::Object::Ptr require_object(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                       const std::string& where);
double number_at(const Poco::JSON::Array::Ptr& arr, unsigned index, const std::string& where);

// Serialises with stable key order and no extra whitespace beyond `indent`.
std::string to_json(const Poco::JSON::Object::Ptr& obj, unsigned indent = 0);

}  // namespace carescan::core
