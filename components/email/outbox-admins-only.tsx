import { Inbox } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

/** What a member or viewer sees at an outbox URL: the outbox holds other people's mail. */
export function OutboxAdminsOnly() {
  return (
    <EmptyState
      icon={Inbox}
      title="The outbox is for admins and owners"
      description="It keeps copies of mail sent to other people. Ask an admin of this workspace if you need to check a message."
    />
  );
}
