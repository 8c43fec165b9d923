// Stand-in for libsession's xed25519 (which needs libsodium internals): the harness only converts
// Session IDs whose Ed25519 keys it knows, so the X25519 -> |Ed25519| map is a lookup table.
#include <session/xed25519.hpp>
#include <map>
#include <stdexcept>
#include <string>
std::map<std::string, std::array<unsigned char, 32>> known_ed;
namespace session::xed25519 {
std::array<unsigned char, 32> pubkey(ustring_view x) {
    auto it = known_ed.find(std::string(reinterpret_cast<const char*>(x.data()), x.size()));
    if (it == known_ed.end()) throw std::runtime_error("unknown X25519 key in harness");
    auto out = it->second;
    out[31] &= 0x7f;
    return out;
}
std::string pubkey(std::string_view x) {
    auto p = pubkey(ustring_view{reinterpret_cast<const unsigned char*>(x.data()), x.size()});
    return std::string(reinterpret_cast<const char*>(p.data()), 32);
}
std::array<unsigned char, 64> sign(ustring_view, ustring_view) { throw std::runtime_error("stub"); }
std::string sign(std::string_view, std::string_view) { throw std::runtime_error("stub"); }
bool verify(ustring_view, ustring_view, ustring_view) { throw std::runtime_error("stub"); }
bool verify(std::string_view, std::string_view, std::string_view) { throw std::runtime_error("stub"); }
}
