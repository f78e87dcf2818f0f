/**
 * The registry-webhook adapter: reads what each container registry sends when an image is pushed
 * (Distribution, Docker Hub, Harbor, Quay, GitHub, Gitea/Forgejo, ACR, JFrog, Google Artifact
 * Registry) into the pure trigger vocabulary, and checks the senders' secrets and signatures. It
 * decides nothing about groups; it only says which real pushes of tags a delivery holds and why
 * everything else in it was ignored.
 */
package dev.holdfast.hook;
