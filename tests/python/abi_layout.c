/* Prints the size of every ABI struct nbhost declares with ctypes, and the
 * offset of each of its fields, as one JSON object: test_abi_layout.py
 * checks python/nbhost/abi.py against what the C compiler lays out. */
#include <stddef.h>
#include <stdio.h>

#include <nb/plugin.h>

static int first_struct = 1;
static int first_field;

static void begin(const char *name, size_t size) {
    printf("%s\"%s\": {\"size\": %zu, \"fields\": {", first_struct ? "" : ", ", name, size);
    first_struct = 0;
    first_field = 1;
}
static void field(const char *name, size_t offset) {
    printf("%s\"%s\": %zu", first_field ? "" : ", ", name, offset);
    first_field = 0;
}
static void end(void) { printf("}}"); }

#define BEGIN(T, name) begin(name, sizeof(T))
#define FIELD(T, f) field(#f, offsetof(T, f))

int main(void) {
    printf("{");
    BEGIN(nb_version_t, "Version");
    FIELD(nb_version_t, major); FIELD(nb_version_t, minor); FIELD(nb_version_t, revision);
    end();
    BEGIN(nb_socket_desc_t, "SocketDesc");
    FIELD(nb_socket_desc_t, name); FIELD(nb_socket_desc_t, type);
    FIELD(nb_socket_desc_t, description);
    end();
    BEGIN(nb_widget_desc_t, "WidgetDesc");
    FIELD(nb_widget_desc_t, name); FIELD(nb_widget_desc_t, kind);
    FIELD(nb_widget_desc_t, default_value); FIELD(nb_widget_desc_t, min);
    FIELD(nb_widget_desc_t, max); FIELD(nb_widget_desc_t, description);
    FIELD(nb_widget_desc_t, choices); FIELD(nb_widget_desc_t, choice_count);
    end();
    BEGIN(nb_node_descriptor_t, "NodeDescriptor");
    FIELD(nb_node_descriptor_t, abi); FIELD(nb_node_descriptor_t, id);
    FIELD(nb_node_descriptor_t, title); FIELD(nb_node_descriptor_t, description);
    FIELD(nb_node_descriptor_t, category); FIELD(nb_node_descriptor_t, version);
    FIELD(nb_node_descriptor_t, tags); FIELD(nb_node_descriptor_t, tag_count);
    FIELD(nb_node_descriptor_t, inputs); FIELD(nb_node_descriptor_t, input_count);
    FIELD(nb_node_descriptor_t, outputs); FIELD(nb_node_descriptor_t, output_count);
    FIELD(nb_node_descriptor_t, widgets); FIELD(nb_node_descriptor_t, widget_count);
    FIELD(nb_node_descriptor_t, flags);
    end();
    BEGIN(nb_event_t, "Event");
    FIELD(nb_event_t, abi); FIELD(nb_event_t, method); FIELD(nb_event_t, path);
    FIELD(nb_event_t, body); FIELD(nb_event_t, body_len); FIELD(nb_event_t, headers_json);
    FIELD(nb_event_t, headers_json_len); FIELD(nb_event_t, query_json);
    FIELD(nb_event_t, query_json_len); FIELD(nb_event_t, remote_addr);
    FIELD(nb_event_t, get_extension);
    end();
    BEGIN(nb_event_delivery_t, "EventDelivery");
    FIELD(nb_event_delivery_t, id); FIELD(nb_event_delivery_t, id_len);
    FIELD(nb_event_delivery_t, dedupe_window_s);
    end();
    BEGIN(nb_run_t, "Run");
    FIELD(nb_run_t, abi); FIELD(nb_run_t, run_data); FIELD(nb_run_t, run_id);
    FIELD(nb_run_t, event); FIELD(nb_run_t, get_input); FIELD(nb_run_t, set_output);
    end();
    BEGIN(nb_host_t, "Host");
    FIELD(nb_host_t, abi); FIELD(nb_host_t, host_data); FIELD(nb_host_t, trigger);
    FIELD(nb_host_t, log); FIELD(nb_host_t, get_extension);
    end();
    BEGIN(nb_node_t, "Node");
    FIELD(nb_node_t, abi); FIELD(nb_node_t, descriptor); FIELD(nb_node_t, node_data);
    FIELD(nb_node_t, destroy); FIELD(nb_node_t, set_widget); FIELD(nb_node_t, get_widget);
    FIELD(nb_node_t, start); FIELD(nb_node_t, stop); FIELD(nb_node_t, execute);
    FIELD(nb_node_t, last_error); FIELD(nb_node_t, get_extension);
    end();
    BEGIN(nb_plugin_entry_t, "PluginEntry");
    FIELD(nb_plugin_entry_t, abi); FIELD(nb_plugin_entry_t, init);
    FIELD(nb_plugin_entry_t, deinit); FIELD(nb_plugin_entry_t, node_count);
    FIELD(nb_plugin_entry_t, node_descriptor); FIELD(nb_plugin_entry_t, create_node);
    FIELD(nb_plugin_entry_t, get_extension);
    end();
    BEGIN(nb_header_field_t, "HeaderField");
    FIELD(nb_header_field_t, name); FIELD(nb_header_field_t, value);
    end();
    BEGIN(nb_reply_t, "Reply");
    FIELD(nb_reply_t, abi); FIELD(nb_reply_t, status); FIELD(nb_reply_t, content_type);
    FIELD(nb_reply_t, headers); FIELD(nb_reply_t, header_count); FIELD(nb_reply_t, body);
    FIELD(nb_reply_t, body_len);
    end();
    BEGIN(nb_host_run_reply_t, "HostRunReply");
    FIELD(nb_host_run_reply_t, set_reply);
    end();
    BEGIN(nb_outcome_t, "Outcome");
    FIELD(nb_outcome_t, abi); FIELD(nb_outcome_t, kind); FIELD(nb_outcome_t, refusal);
    FIELD(nb_outcome_t, message); FIELD(nb_outcome_t, failed_node); FIELD(nb_outcome_t, reply);
    FIELD(nb_outcome_t, accepted);
    end();
    BEGIN(nb_outcome_sink_t, "OutcomeSink");
    FIELD(nb_outcome_sink_t, context); FIELD(nb_outcome_sink_t, deliver);
    end();
    BEGIN(nb_host_async_trigger_t, "HostAsyncTrigger");
    FIELD(nb_host_async_trigger_t, flags); FIELD(nb_host_async_trigger_t, submit);
    FIELD(nb_host_async_trigger_t, cancel_pending);
    end();
    BEGIN(nb_listen_address_t, "ListenAddress");
    FIELD(nb_listen_address_t, scheme); FIELD(nb_listen_address_t, address);
    FIELD(nb_listen_address_t, port); FIELD(nb_listen_address_t, path);
    end();
    BEGIN(nb_node_listen_address_t, "NodeListenAddress");
    FIELD(nb_node_listen_address_t, count); FIELD(nb_node_listen_address_t, get);
    end();
    printf("}\n");
    return 0;
}
