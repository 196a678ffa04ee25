import { EmptyState } from "@/components/ui/empty-state";
import { FileQuestionIcon } from "@/components/ui/static-icons";

/** A post that is missing or not published (yet), inside the blog's own header and footer. */
export default function BlogPostNotFound() {
  return (
    <div className="mx-auto w-full max-w-3xl px-4 py-20 sm:px-6">
      <EmptyState
        icon={FileQuestionIcon}
        title="Post not found"
        description="This post does not exist or is not published. Try the list of all posts above."
        className="py-16"
      />
    </div>
  );
}
